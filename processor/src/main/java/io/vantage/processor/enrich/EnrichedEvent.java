package io.vantage.processor.enrich;

import io.vantage.model.Event;
import io.vantage.model.Site;

/**
 * An event with what enrichment learnt about it. IP and User-Agent stay on {@link #event()}
 * only until enrichment is done; nothing downstream stores them.
 */
public record EnrichedEvent(Event event, Site site, String browser, String os, String device) {
    public static final String UNKNOWN = "Unknown";

    public static EnrichedEvent of(Event event, Site site) {
        return new EnrichedEvent(event, site, UNKNOWN, UNKNOWN, UNKNOWN);
    }

    public EnrichedEvent withClient(String browser, String os, String device) {
        return new EnrichedEvent(event, site, browser, os, device);
    }
}
