package io.vantage.api;

import io.vantage.processor.rollup.Rollup;
import io.vantage.processor.rollup.VisitorSet;

/** Rollup rows merged for one result row: counts add up, visitor sets are unioned with their counts. */
public final class Aggregate {
    private final long[] n = new long[9];
    private final VisitorSet.Merger visitors = new VisitorSet.Merger();
    private final VisitorSet.Merger starters = new VisitorSet.Merger();
    private VisitorSet.Merged mergedVisitors;
    private VisitorSet.Merged mergedStarters;

    /** Adds a row's counts, and its visitor sets when {@code withVisitors}. */
    public Aggregate add(Rollup row, boolean withVisitors) {
        return add(new long[] {row.events(), row.pageviews(), row.visits(), row.bounces(), row.durationMs(),
            row.sessionEvents(), row.sessionPageviews(), row.conversions(), row.conversionMs()},
            withVisitors ? row.visitors() : null, withVisitors ? row.starters() : null);
    }

    public Aggregate add(long[] counts, byte[] visitorSet, byte[] starterSet) {
        for (int i = 0; i < n.length; i++) {
            n[i] += counts[i];
        }
        visitors.add(visitorSet);
        starters.add(starterSet);
        mergedVisitors = null;
        mergedStarters = null;
        return this;
    }

    public long[] counts() {
        return n.clone();
    }

    public long events() { return n[0]; }
    public long pageviews() { return n[1]; }
    public long visits() { return n[2]; }
    public long bounces() { return n[3]; }
    public long durationMs() { return n[4]; }
    public long sessionEvents() { return n[5]; }
    public long sessionPageviews() { return n[6]; }
    public long conversions() { return n[7]; }
    public long conversionMs() { return n[8]; }

    /** Visitors with events here. */
    public VisitorSet.Merged visitors() {
        if (mergedVisitors == null) {
            mergedVisitors = visitors.result();
        }
        return mergedVisitors;
    }

    /** Visitors who started sessions here, with how many each. */
    public VisitorSet.Merged starters() {
        if (mergedStarters == null) {
            mergedStarters = starters.result();
        }
        return mergedStarters;
    }
}
