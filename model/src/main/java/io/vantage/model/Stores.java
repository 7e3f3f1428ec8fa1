package io.vantage.model;

/** The catalogue of state store names, shared by the topology, the query service and tests. */
public final class Stores {
    /** Visits with their events, keyed by site and start hour (see io.vantage.store.StoreKeys). */
    public static final String VISITS = "visits";
    /** A visitor's visits by start, for sessionizing events that arrive out of order. */
    public static final String VISITOR_SESSIONS = "visitor-sessions";
    /** Every visitor's latest value of each trait, for trait filters and breakdowns. */
    public static final String VISITOR_TRAITS = "visitor-traits";
    /**
     * In memory, not logged: a version per site and start hour, changed whenever a visit of that
     * hour is written, and the task's epoch; lets the API keep decoded hours until they change.
     */
    public static final String VISIT_HOURS = "visit-hours";
    /**
     * In memory, not logged: the visit written at each of the task's last few thousand versions
     * (io.vantage.store.StoreKeys#CHANGE_SLOTS), so the API brings a kept hour up to date from the
     * visits written since instead of reading the whole hour again under live traffic.
     */
    public static final String VISIT_CHANGES = "visit-changes";
    /** The longest visit per site, so a query knows how far back a visit with events in its range can start. */
    public static final String SITE_SPANS = "site-spans";
    /**
     * Visitors erased on request: event key → when the erasure was asked; an event of theirs
     * received before that is not counted. Kept as long as the erasures topic keeps the request.
     */
    public static final String ERASED_VISITORS = "erased-visitors";
    /** Event ids already counted, for dedup. */
    public static final String EVENT_IDS = "event-ids";
    /**
     * Events of a site the processor does not know yet (created a moment before its first events
     * reached the processor), kept until the site arrives or a few minutes have passed.
     */
    public static final String AWAITING_SITE = "awaiting-site";
    /** Visitor profiles keyed by site and visitor. */
    public static final String PROFILES = "visitor-profiles";
    /** Global store of sites, read by the topology for time zone, goals and session timeout. */
    public static final String SITES = "sites";

    private Stores() {
    }
}
