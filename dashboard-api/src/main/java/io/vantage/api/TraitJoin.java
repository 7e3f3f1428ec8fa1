package io.vantage.api;

import io.vantage.processor.rollup.VisitorSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code visitor:trait:NAME} breakdown: the period's visitors (per time group) intersected with
 * the visitors whose latest value of the trait is each value. Visitors live on one partition each,
 * so the intersection is taken per partition, where sets stay exact far longer, and the counts are
 * summed across partitions.
 *
 * @param visitors the scan of the period's visitors, grouped by time (or not at all)
 * @param traits   the scan of the trait's values, grouped by value
 */
public record TraitJoin(ScanSpec visitors, ScanSpec traits) {
    /** Visitors without the trait. */
    public static final String NONE = "(none)";

    /** The answer of one instance: the partitions it read and its counts by (time group..., trait value). */
    public record Counts(List<Integer> partitions, List<Count> counts) {
    }

    /** Visitors of one (time group..., trait value). */
    public record Count(List<String> key, long visitors) {
    }

    /** Counts by (time group..., value) from one partition's (or one merged) scans; {@code (none)} for visitors without the trait. */
    public Map<List<String>, Long> count(Map<List<String>, Aggregate> byTime, Map<List<String>, Aggregate> byValue) {
        Map<List<String>, Long> out = new HashMap<>();
        boolean noneWanted = traits.filters().stream().allMatch(f -> f.matches(NONE));
        for (Map.Entry<List<String>, Aggregate> t : byTime.entrySet()) {
            VisitorSet.Merged visitors = t.getValue().visitors();
            long withTrait = 0;
            for (Map.Entry<List<String>, Aggregate> v : byValue.entrySet()) {
                long n = visitors.intersectCount(v.getValue().visitors());
                if (n > 0) {
                    withTrait += n;
                    out.merge(key(t.getKey(), v.getKey().get(0)), n, Long::sum);
                }
            }
            // Unfiltered, every value of the trait is here, so the rest of the visitors have none.
            long none = visitors.count() - withTrait;
            if (none > 0 && noneWanted && traits.filters().isEmpty()) {
                out.merge(key(t.getKey(), NONE), none, Long::sum);
            }
        }
        return out;
    }

    private static List<String> key(List<String> time, String value) {
        List<String> k = new ArrayList<>(time);
        k.add(value);
        return k;
    }
}
