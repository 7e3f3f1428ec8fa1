package io.vantage.api;

import io.vantage.model.Site;
import java.util.List;

/**
 * A validated query: what to compute over which instants {@code [fromMs, toMs)} of a site.
 *
 * @param dimensions the dimension names in the order asked (a time dimension included)
 * @param time       the time dimension, or null
 * @param filters    the filters as stated, validated
 * @param orderBy    pairs of (metric or dimension name, ascending?)
 * @param timeLabels whether to list every time bucket of the range in {@code meta.time_labels}
 */
public record Query(Site site, List<Metric> metrics, List<String> dimensions, long fromMs, long toMs, TimeGrouping time,
                    List<ScanRequest.FilterSpec> filters, List<Order> orderBy, int limit, int offset, boolean timeLabels) {
    /** One sort key. */
    public record Order(String name, boolean ascending) {
    }

    public boolean needs(Metric m) {
        return metrics.contains(m);
    }
}
