package io.vantage.processor.enrich;

import io.vantage.model.Event;
import io.vantage.model.Site;

/**
 * An event with what enrichment learnt about it. IP and User-Agent stay on {@link #event()}
 * only until enrichment is done; nothing downstream stores them.
 *
 * @param source   the referrer's known name or registrable domain, {@link #DIRECT} when none or same-site
 * @param referrer the referrer's host, when there is an external one
 */
public record EnrichedEvent(Event event, Site site, String browser, String os, String device, String country,
                            String source, String referrer, String utmSource, String utmMedium, String utmCampaign) {
    public static final String UNKNOWN = "Unknown";
    public static final String DIRECT = "Direct / None";

    public static EnrichedEvent of(Event event, Site site) {
        return new EnrichedEvent(event, site, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, DIRECT, null, null, null, null);
    }

    public EnrichedEvent withClient(String newBrowser, String newOs, String newDevice) {
        return new EnrichedEvent(event, site, newBrowser, newOs, newDevice, country, source, referrer, utmSource, utmMedium, utmCampaign);
    }

    public EnrichedEvent withCountry(String newCountry) {
        return new EnrichedEvent(event, site, browser, os, device, newCountry, source, referrer, utmSource, utmMedium, utmCampaign);
    }

    public EnrichedEvent withSource(String newSource, String newReferrer) {
        return new EnrichedEvent(event, site, browser, os, device, country, newSource, newReferrer, utmSource, utmMedium, utmCampaign);
    }

    public EnrichedEvent withUtm(String newSource, String newMedium, String newCampaign) {
        return new EnrichedEvent(event, site, browser, os, device, country, source, referrer, newSource, newMedium, newCampaign);
    }

    /** The event without the client's IP and User-Agent, once enrichment has used them. */
    public EnrichedEvent withoutClientFacts() {
        return new EnrichedEvent(event.toBuilder().ip(null).userAgent(null).build(), site, browser, os, device, country,
                source, referrer, utmSource, utmMedium, utmCampaign);
    }
}
