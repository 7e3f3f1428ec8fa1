package io.vantage.api;

import java.util.List;

/** One instance's share of a query over the partitions it holds: from pre-aggregates where they answer it, else by a scan of the visits. */
final class PartitionScan {
    private PartitionScan() {
    }

    static Partial scan(ScanRequest request, List<PartitionStores> stores, List<Integer> partitions, Summaries summaries) {
        SummaryScan fast = summaries == null ? null : SummaryScan.plan(request, summaries);
        Partial p = fast == null ? null : fast.scan(stores, partitions);
        if (p != null) {
            return p;
        }
        SegmentScan scan = new SegmentScan(request);
        stores.forEach(scan::scan);
        return scan.finish(partitions);
    }
}
