package io.vantage.api;

import io.vantage.processor.rollup.Rollup;
import io.vantage.processor.rollup.VisitorSet;

/** Rollup rows merged for one result row: counts add up, visitor sets are unioned. */
public final class Aggregate {
    private long events;
    private long pageviews;
    private final VisitorSet.Merger visitors = new VisitorSet.Merger();
    private byte[] mergedVisitors;

    public Aggregate add(Rollup row) {
        return add(row.events(), row.pageviews(), row.visitors());
    }

    public Aggregate add(long moreEvents, long morePageviews, byte[] visitorSet) {
        events += moreEvents;
        pageviews += morePageviews;
        visitors.add(visitorSet);
        mergedVisitors = null;
        return this;
    }

    public Aggregate add(Aggregate other) {
        return add(other.events, other.pageviews, other.visitorSet());
    }

    public long events() {
        return events;
    }

    public long pageviews() {
        return pageviews;
    }

    public byte[] visitorSet() {
        if (mergedVisitors == null) {
            mergedVisitors = visitors.result();
        }
        return mergedVisitors;
    }

    public long visitors() {
        return VisitorSet.count(visitorSet());
    }
}
