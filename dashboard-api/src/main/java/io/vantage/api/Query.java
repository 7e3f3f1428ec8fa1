package io.vantage.api;

import io.vantage.model.Site;
import java.time.LocalDateTime;
import java.util.List;

/**
 * A validated query: what to compute over which local-time range {@code [from, to)} of a site.
 *
 * @param scan    the rollup scan that answers it
 * @param orderBy pairs of (metric or dimension name, ascending?)
 */
public record Query(Site site, List<Metric> metrics, List<String> dimensions, LocalDateTime from, LocalDateTime to,
                    ScanSpec scan, List<Order> orderBy, int limit, int offset) {
    /** One sort key. */
    public record Order(String name, boolean ascending) {
    }
}
