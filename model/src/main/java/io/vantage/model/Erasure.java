package io.vantage.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A request to erase one visitor of one site: their profile, trait rows and visits with their
 * events. Written by the dashboard API to {@link Topics#ERASURES} under the visitor's event key
 * ({@link EventKeys}), so it reaches the partition, and the task, that holds the visitor's data;
 * carried out by the processor (visits, index, traits) and the profiler (the profile).
 */
public record Erasure(@JsonProperty("site") String site, @JsonProperty("visitor_id") String visitorId,
                      @JsonProperty("requested_at") long requestedAt) {
    public Erasure {
        if (site == null || site.isEmpty() || visitorId == null || visitorId.isEmpty()) {
            throw new IllegalArgumentException("an erasure names a site and a visitor");
        }
    }

    /** The record key: the visitor's event key, so the erasure shares the partition of their events. */
    public String key() {
        return EventKeys.of(site, visitorId);
    }
}
