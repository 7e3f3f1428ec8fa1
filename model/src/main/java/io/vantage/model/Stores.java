package io.vantage.model;

/** The catalogue of state store names, shared by the topology, the query service and tests. */
public final class Stores {
    /** Key-value store of rollups keyed by site, dimension, granularity and bucket. */
    public static final String ROLLUPS = "rollups";
    /** Event ids already counted, for dedup. */
    public static final String EVENT_IDS = "event-ids";
    /** Visitor profiles keyed by site and visitor. */
    public static final String PROFILES = "visitor-profiles";
    /** Sessions keyed by site, visitor and session end. */
    public static final String SESSIONS = "sessions";
    /** Global store of sites, read by the topology for time zone, goals and session timeout. */
    public static final String SITES = "sites";

    private Stores() {
    }
}
