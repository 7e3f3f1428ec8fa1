package io.vantage.api;

import java.util.List;

/**
 * One instance's share of a query over the partitions it holds: from pre-aggregates where they
 * answer it ({@link SummaryScan}), else from cached columns of the visits ({@link TableScan}), else
 * by a scan of the decoded visits ({@link SegmentScan}, the definition the other two are tested against).
 */
final class PartitionScan {
    private PartitionScan() {
    }

    static Partial scan(ScanRequest request, List<PartitionStores> stores, List<Integer> partitions, Summaries summaries) {
        SummaryScan fast = summaries == null ? null : SummaryScan.plan(request, summaries);
        Partial p = fast == null ? null : fast.scan(stores, partitions);
        if (p != null) {
            return p;
        }
        TableScan table = summaries == null ? null : TableScan.plan(request, summaries);
        p = table == null ? null : table.scan(stores, partitions);
        if (p != null) {
            return p;
        }
        SegmentScan scan = new SegmentScan(request);
        stores.forEach(scan::scan);
        return scan.finish(partitions);
    }
}
