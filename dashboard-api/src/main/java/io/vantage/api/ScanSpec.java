package io.vantage.api;

import io.vantage.processor.rollup.Dimension;
import io.vantage.processor.rollup.Granularity;
import java.util.List;

/**
 * The part of a query every instance runs over its own partitions: which rollup rows to read and
 * how to group them. It travels to peer instances as JSON.
 *
 * @param groupKeys   the grouping, each a {@code time:*} name or {@link #VALUE}
 * @param valuePrefix rows whose value starts with it (a trait's {@code name=}); it is cut off the value
 * @param filters     on the value (after the prefix)
 * @param withVisitors whether visitor sets are merged: only for metrics that count visitors, as
 *                    merging sets is most of the cost of a scan
 */
public record ScanSpec(String site, Dimension dimension, Granularity granularity, long fromBucket, long toBucket,
                       List<String> groupKeys, String valuePrefix, List<Filter> filters, boolean withVisitors) {
    /** Stands in {@link #groupKeys()} for the value of {@link #dimension()}. */
    public static final String VALUE = "value";
}
