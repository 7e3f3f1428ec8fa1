package io.vantage.api;

import io.vantage.store.VisitEvent;
import io.vantage.store.VisitRecord;
import it.unimi.dsi.fastutil.longs.Long2ObjectMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roaringbitmap.RoaringBitmap;

/**
 * What the visits of one partition that start in one hour contribute to the rows of one set of
 * dimensions: per hour their events fall in, a {@link SummaryCell} per row value. The visits
 * themselves are counted in the cells of their start hour. Built once from the visits store and
 * kept while the hour's version (visit-hours store) and the task's epoch stay the same.
 *
 * <p>Row values follow {@link SegmentScan} exactly: an event is in the row of its own value for an
 * event dimension and of its visit's value for a visit dimension; a visit is in the row of each
 * value its events have (or of its own value); a missing value has no row, except for properties,
 * which read {@code (none)}.
 *
 * @param parts          per event hour, the cells by row value
 * @param firstStarters  visitors whose first visit starts in this hour (new visitors)
 */
record HourSummary(long epoch, long version, Long2ObjectMap<Map<List<String>, SummaryCell>> parts, RoaringBitmap firstStarters,
                   long bytes) implements Summaries.Sized {

    /** The value of a filter's hidden dimension where the visit has none (a negated filter keeps it). */
    static final String MISSING = "\u0000";

    /**
     * @param visible how many of {@code dims} are the query's own; the rest are visit dimensions of
     *                its filters, kept so the query can select cells by them, a missing value
     *                included (as {@link #MISSING})
     */
    static HourSummary build(Iterable<VisitRecord> visits, List<Dimension> dims, int visible, List<String> goals, VisitorIds ids, long hour,
                             long epoch, long version, java.util.function.UnaryOperator<List<String>> canonical) {
        Long2ObjectOpenHashMap<Map<List<String>, SummaryCell>> parts = new Long2ObjectOpenHashMap<>();
        RoaringBitmap first = new RoaringBitmap();
        boolean eventDims = dims.stream().anyMatch(d -> d.kind() == Dimension.Kind.EVENT);
        for (VisitRecord v : visits) {
            SegmentScan.Session s = new SegmentScan.Session(v, goals);
            int visitor = ids.id(v.visitor());
            if (v.firstVisit()) {
                first.add(visitor);
            }
            String[] fixed = new String[dims.size()];
            for (int i = 0; i < fixed.length; i++) {
                if (dims.get(i).kind() == Dimension.Kind.VISIT) {
                    fixed[i] = s.visitValue(dims.get(i));
                }
            }
            List<VisitEvent> events = v.events();
            Set<List<String>> visitKeys = new LinkedHashSet<>();
            for (VisitEvent e : events) {
                List<String> key = key(dims, visible, fixed, e, goals);
                if (key != null) {
                    cell(parts, Math.floorDiv(e.ts(), io.vantage.store.StoreKeys.HOUR_MS), key).event(e.type().isPageview(), visitor);
                    visitKeys.add(key);
                }
            }
            if (!eventDims) {
                // Without an event dimension the key is the visit's own, even for a visit whose events have none.
                visitKeys.clear();
                List<String> key = key(dims, visible, fixed, null, goals);
                if (key != null) {
                    visitKeys.add(key);
                }
            }
            for (List<String> key : visitKeys) {
                cell(parts, hour, key).visit(s, visitor);
            }
        }
        long bytes = 64 + first.getLongSizeInBytes();
        for (Long2ObjectMap.Entry<Map<List<String>, SummaryCell>> part : parts.long2ObjectEntrySet()) {
            bytes += 64;
            // Keys are shared with every other summary (Summaries#canonical); their bytes still count here, an upper bound.
            Map<List<String>, SummaryCell> shared = new HashMap<>(part.getValue().size() * 2);
            for (Map.Entry<List<String>, SummaryCell> c : part.getValue().entrySet()) {
                bytes += keyBytes(c.getKey()) + c.getValue().seal().bytes();
                shared.put(canonical.apply(c.getKey()), c.getValue());
            }
            part.setValue(shared);
        }
        first.runOptimize();
        return new HourSummary(epoch, version, parts, first, bytes);
    }

    private static SummaryCell cell(Long2ObjectOpenHashMap<Map<List<String>, SummaryCell>> parts, long hour, List<String> key) {
        return parts.computeIfAbsent(hour, h -> new HashMap<>()).computeIfAbsent(key, k -> new SummaryCell());
    }

    /** The row value of an event (or, with {@code e} null, of the visit alone); null when it has none. */
    private static List<String> key(List<Dimension> dims, int visible, String[] fixed, VisitEvent e, List<String> goals) {
        if (dims.isEmpty()) {
            return List.of();
        }
        String[] k = new String[dims.size()];
        for (int i = 0; i < k.length; i++) {
            Dimension d = dims.get(i);
            String value = d.kind() == Dimension.Kind.EVENT ? SegmentScan.eventValue(d, e, goals) : fixed[i];
            if (value == null) {
                if (i >= visible) {
                    value = MISSING;
                } else if (d.labelsMissing()) {
                    value = Dimension.NONE;
                } else {
                    return null;
                }
            }
            k[i] = value;
        }
        return Arrays.asList(k);
    }

    static long keyBytes(List<String> key) {
        long b = 48;
        for (String s : key) {
            b += 48 + s.length();
        }
        return b;
    }
}
