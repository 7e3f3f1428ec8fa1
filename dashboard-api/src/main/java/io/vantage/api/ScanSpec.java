package io.vantage.api;

import io.vantage.processor.rollup.Dimension;
import io.vantage.processor.rollup.Granularity;
import java.util.List;

/**
 * The part of a query every instance runs over its own partitions: which rollup rows to read and
 * how to group them. It travels to peer instances as JSON.
 *
 * @param groupKeys the request's dimensions in order, each a {@code time:*} name or {@link #VALUE}
 */
public record ScanSpec(String site, Dimension dimension, Granularity granularity, long fromBucket, long toBucket,
                       List<String> groupKeys, List<Filter> filters) {
    /** Stands in {@link #groupKeys()} for the value of {@link #dimension()}. */
    public static final String VALUE = "value";
}
