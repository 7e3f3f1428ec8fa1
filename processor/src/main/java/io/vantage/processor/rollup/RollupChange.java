package io.vantage.processor.rollup;

import java.util.HashMap;
import java.util.Map;

/**
 * A change to one rollup row: counts to add (negative to take back) and per-visitor count changes.
 * Changes of one record to the same row are summed first, so a session that is taken back and
 * added again in the same bucket touches the row once.
 */
public final class RollupChange {
    public static final int EVENTS = 0;
    public static final int PAGEVIEWS = 1;
    public static final int VISITS = 2;
    public static final int BOUNCES = 3;
    public static final int DURATION_MS = 4;
    public static final int SESSION_EVENTS = 5;
    public static final int SESSION_PAGEVIEWS = 6;
    public static final int CONVERSIONS = 7;
    public static final int CONVERSION_MS = 8;
    public static final int FIELDS = 9;

    final long[] n = new long[FIELDS];
    final Map<Long, Integer> visitors = new HashMap<>(2);
    final Map<Long, Integer> starters = new HashMap<>(2);

    /** One event of a visitor. */
    public RollupChange event(boolean pageview, long visitorHash) {
        n[EVENTS]++;
        n[PAGEVIEWS] += pageview ? 1 : 0;
        visitors.merge(visitorHash, 1, Integer::sum);
        return this;
    }

    /** A visitor in or out of a visitor set (first seen, trait). */
    public RollupChange visitor(int sign, long visitorHash) {
        visitors.merge(visitorHash, sign, Integer::sum);
        return this;
    }

    /** One session added ({@code sign} 1) or taken back ({@code sign} -1). */
    public RollupChange session(int sign, long visitorHash, boolean bounce, long durationMs, long events, long pageviews,
                                boolean converted, long conversionMs) {
        n[VISITS] += sign;
        n[BOUNCES] += bounce ? sign : 0;
        n[DURATION_MS] += sign * durationMs;
        n[SESSION_EVENTS] += sign * events;
        n[SESSION_PAGEVIEWS] += sign * pageviews;
        n[CONVERSIONS] += converted ? sign : 0;
        n[CONVERSION_MS] += converted ? sign * conversionMs : 0;
        starters.merge(visitorHash, sign, Integer::sum);
        return this;
    }

    /** Nothing changes. */
    public boolean isNoop() {
        for (long v : n) {
            if (v != 0) {
                return false;
            }
        }
        return visitors.values().stream().allMatch(c -> c == 0) && starters.values().stream().allMatch(c -> c == 0);
    }
}
