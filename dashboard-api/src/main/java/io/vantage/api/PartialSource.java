package io.vantage.api;

import java.util.List;

/** Where a query's shares come from: this instance's partitions, and its peers' for the rest. */
public interface PartialSource {
    /** Every partition's share of the scan, each partition exactly once; throws when one cannot be read now. */
    List<Partial> scan(ScanRequest request);

    /** The start of the site's first visit, {@link Long#MAX_VALUE} when it has none. */
    long firstVisitStart(String site);
}
