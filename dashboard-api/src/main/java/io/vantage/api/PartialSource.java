package io.vantage.api;

import java.util.List;
import java.util.Map;

/** Where the grouped aggregates of a scan come from: local stores, and peers for the rest. */
public interface PartialSource {
    /** The scan over every partition of the rollups, merged; throws when a partition cannot be read now. */
    Map<List<String>, Aggregate> scanAll(ScanSpec spec);

    /**
     * A trait breakdown over every partition. This default intersects the merged sets, which is
     * right for a single partition; a partitioned source intersects per partition and sums.
     */
    default Map<List<String>, Long> traitCounts(TraitJoin join) {
        return join.count(scanAll(join.visitors()), scanAll(join.traits()));
    }
}
