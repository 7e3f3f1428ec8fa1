package io.vantage.api;

import java.util.List;

/**
 * What every instance computes over its own partitions for one query: the visits of a site
 * touching {@code [fromMs, toMs)}, grouped by {@code dimensions} (in the order asked, a time
 * dimension included), restricted by {@code filters}. Sent to peers as JSON, so it carries the
 * site's time zone and goals rather than relying on the peer's copy of the site.
 * {@code repeaters}: whether to count visitors with two or more visits (only
 * {@code repeat_visitor_rate} needs it, and it costs a map entry per visit). {@code top}, when
 * set, says that only the first rows by one count can be shown ({@link Top}); it is never sent to
 * peers, since an instance that reads only some partitions cannot know which rows those are.
 */
public record ScanRequest(String site, String zone, List<String> goals, long fromMs, long toMs, List<String> dimensions,
                          List<FilterSpec> filters, boolean repeaters,
                          @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Top top) {
    public ScanRequest(String site, String zone, List<String> goals, long fromMs, long toMs, List<String> dimensions,
                       List<FilterSpec> filters, boolean repeaters) {
        this(site, zone, goals, fromMs, toMs, dimensions, filters, repeaters, null);
    }

    /** A filter as the query stated it. */
    public record FilterSpec(String op, String dimension, List<String> values, boolean caseSensitive) {
    }

    /**
     * The answer shows only the {@code rows} first rows by the count {@code count} (a
     * {@link Partial} index: visitors, visits, pageviews or events), descending, and asks for no
     * new or repeat visitors (they may be left 0): a scan that reads every partition may leave the
     * exact distinct visitors of the other rows uncounted (each then holds a lower bound of them,
     * never 0 when the exact number is not).
     */
    public record Top(int count, int rows) {
    }

    ScanRequest withTop(Top top) {
        return new ScanRequest(site, zone, goals, fromMs, toMs, dimensions, filters, repeaters, top);
    }
}
