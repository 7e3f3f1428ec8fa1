package io.vantage.api;

import java.util.List;

/**
 * What every instance computes over its own partitions for one query: the visits of a site
 * touching {@code [fromMs, toMs)}, grouped by {@code dimensions} (in the order asked, a time
 * dimension included), restricted by {@code filters}. Sent to peers as JSON, so it carries the
 * site's time zone and goals rather than relying on the peer's copy of the site.
 * {@code repeaters}: whether to count visitors with two or more visits (only
 * {@code repeat_visitor_rate} needs it, and it costs a map entry per visit).
 */
public record ScanRequest(String site, String zone, List<String> goals, long fromMs, long toMs, List<String> dimensions,
                          List<FilterSpec> filters, boolean repeaters) {
    /** A filter as the query stated it. */
    public record FilterSpec(String op, String dimension, List<String> values, boolean caseSensitive) {
    }
}
