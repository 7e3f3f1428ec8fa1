package io.vantage.api;

import io.vantage.model.Site;
import io.vantage.processor.rollup.Dimension;
import io.vantage.processor.rollup.Granularity;
import java.time.LocalDateTime;
import java.util.List;

/**
 * A validated query: what to compute over which local-time range {@code [from, to)} of a site.
 *
 * @param time      the time dimension, or null
 * @param breakdown the dimension besides time, or null for totals
 * @param traitName for a {@code visitor:trait:NAME} breakdown, the trait's name
 * @param scanned   the dimension whose rows answer it: the breakdown, a filtered dimension, or {@code ALL}
 * @param orderBy   pairs of (metric or dimension name, ascending?)
 */
public record Query(Site site, List<Metric> metrics, List<String> dimensions, LocalDateTime from, LocalDateTime to,
                    TimeGrouping time, Dimension breakdown, String traitName, Dimension scanned, Granularity granularity,
                    List<Filter> filters, List<Order> orderBy, int limit, int offset) {
    /** One sort key. */
    public record Order(String name, boolean ascending) {
    }

    public Dimension.Kind kind() {
        return scanned.kind();
    }

    public boolean needs(Metric m) {
        return metrics.contains(m);
    }
}
