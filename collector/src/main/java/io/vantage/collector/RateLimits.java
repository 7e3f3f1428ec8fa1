package io.vantage.collector;

/**
 * How many events per second the collector takes from one client address and for one site; 0
 * switches a limit off. Each limit allows a burst of ten seconds' worth (at least one full batch).
 *
 * @param perAddress events/s from one address (an IPv6 address counts by its /64, which one host may hold whole)
 * @param perSite    events/s for one site, from all addresses together
 */
public record RateLimits(int perAddress, int perSite) {
    /** A browser sends a few events a second; an office behind one NAT, a few hundred. */
    public static final RateLimits DEFAULT = new RateLimits(200, 20_000);
    public static final RateLimits NONE = new RateLimits(0, 0);

    public RateLimits {
        if (perAddress < 0 || perSite < 0) {
            throw new IllegalArgumentException("rate limits must be 0 (off) or positive, got " + perAddress + " and " + perSite);
        }
    }

    /** The burst of a limit: ten seconds of it, and never less than one full batch. */
    static long burst(int perSecond, int maxBatchEvents) {
        return Math.max(10L * perSecond, maxBatchEvents);
    }
}
