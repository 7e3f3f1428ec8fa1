package io.vantage.processor.enrich;

import io.vantage.model.ClientFacts;
import io.vantage.model.Event;
import io.vantage.model.Site;

/**
 * An event with what enrichment learnt about it. Client facts (browser, OS, device, country)
 * come as the collector derived them ({@link io.vantage.model.ClientFacts}); the event carries
 * no IP and no User-Agent.
 *
 * @param source   the referrer's known name or registrable domain, {@link #DIRECT} when none or same-site
 * @param referrer the referrer's host, when there is an external one
 */
public record EnrichedEvent(Event event, Site site, String browser, String os, String device, String country,
                            String source, String referrer, String utmSource, String utmMedium, String utmCampaign) {
    public static final String UNKNOWN = ClientFacts.UNKNOWN;
    public static final String DIRECT = "Direct / None";

    public static EnrichedEvent of(Event event, Site site) {
        ClientFacts client = event.clientOrNone();
        return new EnrichedEvent(event, site, client.browser(), client.os(), client.device(), client.country(), DIRECT,
                null, null, null, null);
    }

    public EnrichedEvent withSource(String newSource, String newReferrer) {
        return new EnrichedEvent(event, site, browser, os, device, country, newSource, newReferrer, utmSource, utmMedium, utmCampaign);
    }

    public EnrichedEvent withUtm(String newSource, String newMedium, String newCampaign) {
        return new EnrichedEvent(event, site, browser, os, device, country, source, referrer, newSource, newMedium, newCampaign);
    }
}
