package io.vantage.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One instance's share of a query: per row the counts of {@link #COUNTS}, over the partitions it
 * read. Every count is additive across partitions, distinct visitors included, because a visitor's
 * events are all in one partition (the record key is site and visitor): no visitor set crosses the
 * wire, and merging is a sum.
 *
 * @param total    the counts with no dimension (for {@code percentage} and goal conversion rates)
 * @param goalBase per row with the {@code event:goal} value replaced by {@code *}: the visits of the
 *                 rest of the row, the denominator of a goal's conversion rate
 */
public record Partial(List<Integer> partitions, List<Row> rows, long[] total, List<Row> goalBase) {
    public static final int EVENTS = 0;
    public static final int PAGEVIEWS = 1;
    public static final int VISITORS = 2;
    public static final int NEW_VISITORS = 3;
    public static final int VISITS = 4;
    public static final int BOUNCES = 5;
    public static final int DURATION_MS = 6;
    public static final int SESSION_EVENTS = 7;
    public static final int SESSION_PAGEVIEWS = 8;
    public static final int CONVERSIONS = 9;
    public static final int CONVERSION_MS = 10;
    /** Visitors who started two or more of the row's visits. */
    public static final int REPEATERS = 11;
    public static final int COUNTS = 12;

    /** One row: its dimension values in the order asked, and its counts. */
    public record Row(List<String> key, long[] counts) {
    }

    /** The sum of several instances' shares. */
    public static Merged merge(List<Partial> parts) {
        Map<List<String>, long[]> rows = new HashMap<>();
        Map<List<String>, long[]> base = new HashMap<>();
        long[] total = new long[COUNTS];
        for (Partial p : parts) {
            p.rows.forEach(r -> add(rows.computeIfAbsent(r.key(), k -> new long[COUNTS]), r.counts()));
            p.goalBase.forEach(r -> add(base.computeIfAbsent(r.key(), k -> new long[COUNTS]), r.counts()));
            add(total, p.total);
        }
        return new Merged(rows, total, base);
    }

    private static void add(long[] into, long[] c) {
        for (int i = 0; i < COUNTS; i++) {
            into[i] += c[i];
        }
    }

    /** The merged counts of every partition. */
    public record Merged(Map<List<String>, long[]> rows, long[] total, Map<List<String>, long[]> goalBase) {
    }
}
