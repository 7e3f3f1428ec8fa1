package io.vantage.api;

import io.vantage.processor.rollup.Counts;
import io.vantage.processor.rollup.Rollup;
import io.vantage.processor.rollup.VisitorSet;

/** Rollup rows merged for one result row: counts add up, visitor sets are unioned with their counts. */
public final class Aggregate implements Counts {
    private final long[] n = new long[io.vantage.processor.rollup.RollupChange.FIELDS];
    private final VisitorSet.Merger visitors = new VisitorSet.Merger();
    private final VisitorSet.Merger starters = new VisitorSet.Merger();
    private VisitorSet.Merged mergedVisitors;
    private VisitorSet.Merged mergedStarters;

    /** Adds a row's counts, and its visitor sets when {@code withVisitors}. */
    public Aggregate add(Rollup row, boolean withVisitors) {
        return add(row.counts(), withVisitors ? row.visitors() : null, withVisitors ? row.starters() : null);
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

    /** Adds another merge (another part of a range). */
    public Aggregate add(Aggregate other) {
        return add(other.counts(), other.visitors().serialized(), other.starters().serialized());
    }

    public long[] counts() {
        return n.clone();
    }

    @Override
    public long count(int field) {
        return n[field];
    }

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
