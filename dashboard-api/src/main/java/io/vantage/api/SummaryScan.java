package io.vantage.api;

import io.vantage.store.StoreKeys;
import io.vantage.store.VisitRecord;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/**
 * The fast path of a query without filters: its range cut into whole local days and single hours,
 * each answered from pre-aggregates ({@link Summaries}) instead of a scan of its visits, so that a
 * 30-day query reads 30 days of cells, not a million visits. The numbers are the same as
 * {@link SegmentScan}'s (a test compares the two on every query shape): counts are sums, distinct
 * and new visitors are unions and intersections of exact bitmaps, per partition, and partitions
 * add up because a visitor lives in one.
 *
 * <p>A filter on a visit dimension is a hidden dimension of the pre-aggregates: a visit has one
 * value of it, so the cells of the values that pass are the segment's, exactly. It applies when
 * every filter is on a visit dimension (an event filter selects events, and a visit holding two
 * selected values would be summed twice; a trait filter selects visitors by a value that changes
 * without a visit), with no goal or trait dimension, no minute buckets, and a range on whole hours
 * whose every hour falls in one time bucket (a time zone with a whole-hour offset); {@link #plan}
 * returns null otherwise and the query takes the general path.
 */
final class SummaryScan {
    private static final long HOUR = StoreKeys.HOUR_MS;
    /** The longest range answered from pre-aggregates; longer ones ("all" of an imported history) are scanned. */
    static final long MAX_DAYS = 400;
    /** Rows from which a breakdown counts new visitors in {@link VisitorBits}. */
    static final int MANY_ROWS = 512;
    private final ScanRequest request;
    private final Summaries summaries;
    private final List<Dimension> dims;
    private final List<Filter> filters;
    private final List<Dimension> hidden;
    private final int timeIndex;
    private final List<Unit> units;
    private final String goalsKey;

    /**
     * A stretch of the range answered as one, with its time-bucket label: one hour ({@code days} 0),
     * a whole local day (1), or a whole week from Monday (7, made of its {@code parts}, the days),
     * which a query with no time dimension or weekly buckets reads as one: 30 days are four weeks and two days.
     */
    private record Unit(long start, long end, int days, String label, List<Unit> parts) {
    }

    private SummaryScan(ScanRequest request, Summaries summaries, List<Dimension> dims, List<Filter> filters, int timeIndex,
                        List<Unit> units) {
        this.request = request;
        this.summaries = summaries;
        this.dims = dims;
        this.filters = filters;
        this.hidden = filters.stream().map(Filter::dimension).toList();
        this.timeIndex = timeIndex;
        this.units = units;
        this.goalsKey = String.join("\u0001", request.goals());
    }

    /** The plan of a query's fast path, or null when the query needs the general one. */
    static SummaryScan plan(ScanRequest r, Summaries summaries) {
        if (r.fromMs() % HOUR != 0 || r.toMs() % HOUR != 0 || r.toMs() <= r.fromMs()
                || r.toMs() - r.fromMs() > MAX_DAYS * 24 * HOUR) {
            return null;
        }
        List<Filter> filters = new ArrayList<>();
        for (ScanRequest.FilterSpec f : r.filters()) {
            Dimension d = Dimension.ofApiName(f.dimension()).orElse(null);
            if (d == null || d.kind() != Dimension.Kind.VISIT) {
                return null;
            }
            filters.add(Filter.of(f.op(), d, f.values(), f.caseSensitive()));
        }
        List<Dimension> dims = new ArrayList<>();
        TimeGrouping time = null;
        int timeIndex = -1;
        for (String name : r.dimensions()) {
            var tg = TimeGrouping.ofApiName(name);
            if (tg.isPresent()) {
                if (tg.get() == TimeGrouping.MINUTE) {
                    return null;
                }
                time = tg.get();
                timeIndex = dims.size();
                continue;
            }
            Dimension d = Dimension.ofApiName(name).orElse(null);
            // Goals need their denominators (goal base) and traits change without a visit: both take the general path.
            if (d == null || d.field() == Dimension.Field.GOAL || d.kind() != Dimension.Kind.VISIT && d.kind() != Dimension.Kind.EVENT) {
                return null;
            }
            dims.add(d);
        }
        ZoneId zone = ZoneId.of(r.zone());
        Buckets buckets = time == null ? null : new Buckets(zone, time);
        boolean days = time == null || time == TimeGrouping.DAY || time == TimeGrouping.WEEK || time == TimeGrouping.MONTH;
        boolean weeks = time == null || time == TimeGrouping.WEEK;
        List<Unit> units = new ArrayList<>();
        long t = r.fromMs();
        while (t < r.toMs()) {
            String label = buckets == null ? null : buckets.label(t);
            List<Unit> week = weeks ? week(t, r.toMs(), zone, label) : null;
            Unit u;
            if (week != null) {
                u = new Unit(t, week.get(6).end, 7, label, week);
            } else {
                long next = days ? nextDay(t, zone) : -1;
                u = next > 0 && next <= r.toMs() ? new Unit(t, next, 1, label, List.of()) : new Unit(t, t + HOUR, 0, label, List.of());
            }
            if (buckets != null && !label.equals(buckets.label(u.end - 1))) {
                return null;
            }
            units.add(u);
            t = u.end;
        }
        return new SummaryScan(r, summaries, dims, filters, timeIndex, units);
    }

    /** The start of the next local day when {@code t} starts one and both are on whole hours; else -1. */
    private static long nextDay(long t, ZoneId zone) {
        LocalDate d = Instant.ofEpochMilli(t).atZone(zone).toLocalDate();
        long next = d.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        return d.atStartOfDay(zone).toInstant().toEpochMilli() == t && next % HOUR == 0 ? next : -1;
    }

    /** The seven days of the week starting at {@code t} when {@code t} starts a Monday and the week ends by {@code to}; else null. */
    private static List<Unit> week(long t, long to, ZoneId zone, String label) {
        if (Instant.ofEpochMilli(t).atZone(zone).getDayOfWeek() != java.time.DayOfWeek.MONDAY) {
            return null;
        }
        List<Unit> days = new ArrayList<>(7);
        for (long start = t; days.size() < 7; ) {
            long next = nextDay(start, zone);
            if (next < 0 || next > to) {
                return null;
            }
            days.add(new Unit(start, next, 1, label, List.of()));
            start = next;
        }
        return days;
    }

    /** One instance's share, or null when a partition's stores have no versions to cache by (the general path then reads them). */
    Partial scan(List<PartitionStores> stores, List<Integer> partitions) {
        List<Versions> versions = new ArrayList<>();
        for (PartitionStores s : stores) {
            Versions v = versions(s);
            if (v == null) {
                return null;
            }
            versions.add(v);
        }
        // Partitions are independent (a visitor lives in one): they are read in parallel, then summed.
        List<Gathered> parts = versions.parallelStream().map(this::gather).toList();
        Partial merged = merge(parts, partitions);
        // Nothing of a scratch is in the answer: the rows' counts were copied or added up. (A query
        // that failed leaves its scratches to the collector: a parallel task may still be using one.)
        parts.forEach(g -> g.scratch.release());
        return merged;
    }

    private Partial merge(List<Gathered> parts, List<Integer> partitions) {
        RowTable<long[]> exact = request.top() == null ? null : shown(parts, request.top());
        List<Share> shares = parts.parallelStream().map(g -> share(g, exact)).toList();
        RowTable<long[]> rows = new RowTable<>(parts.stream().mapToInt(g -> g.rows.size()).max().orElse(0));
        long[] total = new long[Partial.COUNTS];
        for (Share share : shares) {
            addTo(total, share.total);
            RowTable<Acc> keys = share.keys;
            for (int i = 0; i < keys.size(); i++) {
                int at = rows.indexOf(keys.key(i), keys.hash(i));
                if (at < 0) {
                    rows.add(keys.key(i), keys.hash(i), share.rows[i].clone());
                } else {
                    addTo(rows.value(at), share.rows[i]);
                }
            }
        }
        List<Partial.Row> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            out.add(new Partial.Row(rows.key(i), rows.value(i)));
        }
        return new Partial(partitions, out, total, List.of());
    }

    /** One partition's counts, one per row of {@code keys} (its {@link Gathered#rows}), and its total; distinct, new and repeat visitors counted. */
    private record Share(RowTable<Acc> keys, long[][] rows, long[] total) {
    }

    /** One partition's cells gathered by row, before any bitmap is merged. */
    private record Gathered(RowTable<Acc> rows, Acc total, Map<String, List<RoaringBitmap>> first, Working scratch) {
    }

    /**
     * One partition's working memory for a query: its row table, the rows' accumulators and the
     * chains of their cells' visitors. A month of pages is thousands of rows per partition, and
     * allocating these for every query made most of a top-pages query's garbage, and so the young
     * collections that showed up as its slowest answers; they are taken from a small pool instead
     * and given back once the query's rows are merged (no scratch is read after that).
     */
    static final class Working {
        private static final java.util.concurrent.ConcurrentLinkedQueue<Working> POOL = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private static final java.util.concurrent.atomic.AtomicInteger POOLED = new java.util.concurrent.atomic.AtomicInteger();
        /** At most this many scratches wait in the pool (four partitions for each of two queries at once). */
        private static final int MAX_POOLED = 8;
        /**
         * A scratch that grew past this many rows, or visitor bitmaps in its chains, is left to the
         * collector rather than kept: the pool holds at most a few megabytes each (a month of a
         * site's pages is a few thousand rows and a hundred thousand cells per partition), and a
         * rare breakdown of many more rows allocates its own.
         */
        private static final int MAX_ROWS = 1 << 14;
        private static final int MAX_CHAINED = 1 << 18;
        private final RowTable<Acc> rows = new RowTable<>(1024);
        private final Chains chains = new Chains(1024);
        private final List<Acc> accs = new ArrayList<>();
        private int used;

        static Working take() {
            Working s = POOL.poll();
            if (s == null) {
                return new Working();
            }
            POOLED.decrementAndGet();
            return s;
        }

        /** An accumulator as new, over this scratch's chains. */
        Acc acc() {
            if (used == accs.size()) {
                accs.add(new Acc(chains));
            }
            Acc a = accs.get(used++);
            a.reset();
            return a;
        }

        void release() {
            boolean keep = rows.capacity() <= 2 * MAX_ROWS && accs.size() <= MAX_ROWS && chains.items.length <= MAX_CHAINED;
            rows.clear();
            chains.clear();
            used = 0;
            if (keep && POOLED.incrementAndGet() <= MAX_POOLED) {
                POOL.offer(this);
            } else if (keep) {
                POOLED.decrementAndGet();
            }
        }
    }

    private Gathered gather(Versions v) {
        Working scratch = Working.take();
        // The units' cells first (kept days, mostly): their number sizes the chains of visitor bitmaps at once.
        Cells[] all = new Cells[units.size()];
        Cells[] byRow = new Cells[units.size()];
        List<Dimension> rowDims = withHidden();
        int cellCount = 0;
        for (int i = 0; i < all.length; i++) {
            Unit u = units.get(i);
            all[i] = cells(v, hidden, 0, u);
            cellCount += all[i].flat().size();
            if (timeIndex >= 0 || !dims.isEmpty()) {
                byRow[i] = dims.isEmpty() ? all[i] : cells(v, rowDims, dims.size(), u);
                cellCount += byRow[i].flat().size();
            }
        }
        RowTable<Acc> rowAcc = scratch.rows;
        scratch.chains.reserve(cellCount);
        Acc totalAcc = scratch.acc();
        Map<String, List<RoaringBitmap>> first = new HashMap<>();
        boolean repeaters = request.repeaters();
        // Without a time dimension or hidden ones, a row's key is its cells' key, and the cells' hashes are the rows'.
        boolean sameKeys = timeIndex < 0 && hidden.isEmpty();
        for (int i = 0; i < all.length; i++) {
            Unit u = units.get(i);
            RowTable.Flat cells = all[i].flat();
            for (int j = 0; j < cells.size(); j++) {
                if (passes(cells.keys()[j], 0)) {
                    totalAcc.add(cells, j, repeaters);
                }
            }
            first.computeIfAbsent(u.label == null ? "" : u.label, l -> new ArrayList<>()).add(all[i].firstStarters);
            if (byRow[i] == null) {
                continue;
            }
            cells = byRow[i].flat();
            for (int j = 0; j < cells.size(); j++) {
                List<String> cellKey = cells.keys()[j];
                if (!passes(cellKey, dims.size())) {
                    continue;
                }
                List<String> key;
                int hash;
                if (sameKeys) {
                    key = cellKey;
                    hash = cells.hashes()[j];
                } else {
                    List<String> values = hidden.isEmpty() ? cellKey : List.copyOf(cellKey.subList(0, dims.size()));
                    key = rowKey(values, u.label);
                    hash = key.hashCode();
                }
                int at = rowAcc.indexOf(key, hash);
                Acc acc;
                if (at < 0) {
                    acc = scratch.acc();
                    rowAcc.add(key, hash, acc);
                } else {
                    acc = rowAcc.value(at);
                }
                acc.add(cells, j, repeaters);
            }
        }
        return new Gathered(rowAcc, totalAcc, first, scratch);
    }

    /**
     * The rows that can be among the {@code top.rows()} first by {@code top.count()}, or null for
     * all of them. Per row, the count lies between the sums over partitions of a lower and an upper
     * bound (for distinct visitors: the largest of its cells' and the sum of them; other counts are
     * exact). A row whose upper bound is below the {@code top.rows()}-th largest count of other
     * rows cannot be shown. For counts other than visitors the lower bounds are the counts, so one
     * threshold sorts the rows out. For visitors, rows are counted exactly in the order of their upper
     * bounds until the next one's is below the {@code top.rows()}-th largest exact count so far:
     * a month of pages then takes the unions of about as many rows as it shows, where the
     * lower bounds (a week's visitors) would have let in every row within a factor of four of them.
     */
    private static RowTable<long[]> shown(List<Gathered> parts, ScanRequest.Top top) {
        RowTable<long[]> bounds = new RowTable<>(parts.stream().mapToInt(g -> g.rows.size()).max().orElse(0));
        for (Gathered g : parts) {
            RowTable<Acc> rows = g.rows;
            for (int i = 0; i < rows.size(); i++) {
                int at = bounds.indexOf(rows.key(i), rows.hash(i));
                long[] b = at < 0 ? new long[2] : bounds.value(at);
                if (at < 0) {
                    bounds.add(rows.key(i), rows.hash(i), b);
                }
                Acc a = rows.value(i);
                b[0] += a.low(top.count());
                b[1] += a.high(top.count());
            }
        }
        if (bounds.size() <= top.rows()) {
            return null;
        }
        return top.count() == Partial.VISITORS ? countedInOrder(parts, bounds, top.rows()) : aboveThreshold(bounds, top.rows());
    }

    /** The rows whose upper bound reaches the {@code rows}-th largest lower bound (null: all of them). */
    private static RowTable<long[]> aboveThreshold(RowTable<long[]> bounds, int rows) {
        long[] lows = new long[bounds.size()];
        for (int i = 0; i < lows.length; i++) {
            lows[i] = bounds.value(i)[0];
        }
        java.util.Arrays.sort(lows);
        long threshold = lows[lows.length - rows];
        if (threshold <= 0) {
            return null;
        }
        RowTable<long[]> shown = new RowTable<>(rows * 2);
        for (int i = 0; i < bounds.size(); i++) {
            if (bounds.value(i)[1] >= threshold) {
                shown.add(bounds.key(i), bounds.hash(i), null);
            }
        }
        return shown;
    }

    /**
     * The rows counted exactly, in descending order of their upper bounds of distinct visitors,
     * until the next row's upper bound is below the {@code rows}-th largest exact count (ties go
     * in). Each batch's unions are taken in every partition at once; the {@link Acc}s keep them for
     * {@link #share}.
     */
    private static RowTable<long[]> countedInOrder(List<Gathered> parts, RowTable<long[]> bounds, int rows) {
        int n = bounds.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        it.unimi.dsi.fastutil.ints.IntArrays.quickSort(order, (a, b) -> Long.compare(bounds.value(b)[1], bounds.value(a)[1]));
        java.util.PriorityQueue<Long> largest = new java.util.PriorityQueue<>(rows + 1);
        RowTable<long[]> shown = new RowTable<>(rows * 4);
        int batch = Math.max(rows, 16);
        for (int next = 0; next < n; ) {
            int from = next;
            int to = Math.min(n, from + batch);
            parts.parallelStream().forEach(g -> {
                for (int k = from; k < to; k++) {
                    Acc a = g.rows.get(bounds.key(order[k]), bounds.hash(order[k]));
                    if (a != null) {
                        a.visitors();
                    }
                }
            });
            for (int k = from; k < to; k++) {
                int i = order[k];
                if (largest.size() >= rows && bounds.value(i)[1] < largest.peek()) {
                    return shown;
                }
                long exact = 0;
                for (Gathered g : parts) {
                    Acc a = g.rows.get(bounds.key(i), bounds.hash(i));
                    exact += a == null ? 0 : a.visitors();
                }
                shown.add(bounds.key(i), bounds.hash(i), null);
                largest.add(exact);
                if (largest.size() > rows) {
                    largest.poll();
                }
            }
            next = to;
        }
        return shown;
    }

    /** One partition's counts: exact for the rows in {@code exact} (all when null), bounds of distinct visitors for the others. */
    private Share share(Gathered g, RowTable<long[]> exact) {
        // A query that shows only its first rows asks for no new visitors (ScanRequest.Top): none are counted.
        boolean news = request.top() == null;
        Map<String, RoaringBitmap> firstByLabel = new HashMap<>();
        if (news) {
            g.first.forEach((l, list) -> firstByLabel.put(l, forLookups(list)));
        }
        RoaringBitmap firstAll = news ? forLookups(new ArrayList<>(firstByLabel.values())) : null;
        RowTable<Acc> keys = g.rows;
        long[][] rows = new long[keys.size()][];
        boolean[] counts = new boolean[keys.size()];
        int counted = 0;
        for (int i = 0; i < keys.size(); i++) {
            counts[i] = exact == null || exact.indexOf(keys.key(i), keys.hash(i)) >= 0;
            counted += counts[i] ? 1 : 0;
        }
        // A breakdown of many rows (pages) looks each row's visitors up in plain bits instead.
        Map<String, VisitorBits> bits = news && counted >= MANY_ROWS && VisitorBits.fit(firstByLabel.size(), firstAll) ? new HashMap<>() : null;
        for (int i = 0; i < keys.size(); i++) {
            Acc a = keys.value(i);
            if (!counts[i]) {
                rows[i] = a.bounded();
                continue;
            }
            String label = timeIndex < 0 ? "" : keys.key(i).get(timeIndex);
            RoaringBitmap firsts = timeIndex < 0 ? firstAll : firstByLabel.get(label);
            rows[i] = a.counts(firsts, bits == null || firsts == null ? null : bits.computeIfAbsent(label, l -> VisitorBits.of(firsts)));
        }
        return new Share(keys, rows, g.total.counts(firstAll, null));
    }

    private List<String> rowKey(List<String> values, String label) {
        if (timeIndex < 0) {
            return values;
        }
        List<String> k = new ArrayList<>(values.size() + 1);
        k.addAll(values);
        k.add(timeIndex, label);
        return k;
    }

    /**
     * The union of bitmaps that are only read: one is itself, several are merged into a copy of the
     * first. Most rows of a breakdown hold a few visitors, where merging sorted arrays in place is
     * far cheaper than {@code FastAggregation}'s lazy union, which may widen them to 8 KB bitmap containers first.
     */
    private static RoaringBitmap union(List<RoaringBitmap> bitmaps) {
        if (bitmaps.isEmpty()) {
            return new RoaringBitmap();
        }
        if (bitmaps.size() == 1) {
            return bitmaps.get(0);
        }
        RoaringBitmap out = bitmaps.get(0).clone();
        for (int i = 1; i < bitmaps.size(); i++) {
            out.or(bitmaps.get(i));
        }
        return out;
    }

    /** A bitset of one container's range (2^16 values) and a bitmap container on it, per thread, reused by {@link #unionCardinality}. */
    private record Scratch(long[] words, org.roaringbitmap.BitmapContainer container) {
        static Scratch create() {
            long[] words = new long[1 << 10];
            return new Scratch(words, new org.roaringbitmap.BitmapContainer(words, -1));
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::create);

    /**
     * The number of values in the union of {@code bitmaps}, counted container by container (per 2^16
     * values) in a bitset this thread reuses: {@code FastAggregation.orCardinality} does the same in
     * a new 8 KB bitset per call, which for the shown rows of a month's breakdown was most of what
     * the query allocated.
     */
    static long unionCardinality(RoaringBitmap[] bitmaps) {
        org.roaringbitmap.ContainerPointer[] at = new org.roaringbitmap.ContainerPointer[bitmaps.length];
        for (int i = 0; i < bitmaps.length; i++) {
            at[i] = bitmaps[i].getContainerPointer();
        }
        Scratch scratch = SCRATCH.get();
        long[] words = scratch.words();
        long total = 0;
        while (true) {
            int key = Integer.MAX_VALUE;
            int with = 0;
            org.roaringbitmap.Container only = null;
            for (org.roaringbitmap.ContainerPointer p : at) {
                if (p.getContainer() == null) {
                    continue;
                }
                int k = p.key();
                if (k < key) {
                    key = k;
                    with = 1;
                    only = p.getContainer();
                } else if (k == key) {
                    with++;
                }
            }
            if (with == 0) {
                return total;
            }
            if (with == 1) {
                total += only.getCardinality();
            } else {
                java.util.Arrays.fill(words, 0L);
                for (org.roaringbitmap.ContainerPointer p : at) {
                    if (p.getContainer() != null && p.key() == key && scratch.container().lazyIOR(p.getContainer()) != scratch.container()) {
                        // not an in-place union after all (never seen): count this call the library's way
                        return org.roaringbitmap.FastAggregation.orCardinality(bitmaps);
                    }
                }
                for (long w : words) {
                    total += Long.bitCount(w);
                }
            }
            for (org.roaringbitmap.ContainerPointer p : at) {
                if (p.getContainer() != null && p.key() == key) {
                    p.advance();
                }
            }
        }
    }

    /**
     * A private union that every row of a breakdown intersects: without run containers, so that
     * each row's few visitors are looked up in it instead of walking all of its runs.
     */
    private static RoaringBitmap forLookups(List<RoaringBitmap> bitmaps) {
        RoaringBitmap out = bitmaps.size() == 1 ? bitmaps.get(0).clone() : union(bitmaps);
        out.removeRunCompression();
        return out;
    }

    /** Whether a cell's hidden values (from {@code offset} on) pass the filters. */
    private boolean passes(List<String> key, int offset) {
        if (filters.isEmpty()) {
            return true;
        }
        for (int i = 0; i < filters.size(); i++) {
            String value = key.get(offset + i);
            if (!filters.get(i).test(HourSummary.MISSING.equals(value) ? null : value)) {
                return false;
            }
        }
        return true;
    }

    private List<Dimension> withHidden() {
        List<Dimension> all = new ArrayList<>(dims);
        all.addAll(hidden);
        return all;
    }

    /** The cache's name of a list of dimensions, the first {@code visible} of them the rows'. */
    private static String dimsKey(List<Dimension> d, int visible) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            names.add((i < visible ? "" : "?") + d.get(i).apiName());
        }
        return String.join("\u0001", names);
    }

    private static void addTo(long[] into, long[] c) {
        for (int i = 0; i < Partial.COUNTS; i++) {
            into[i] += c[i];
        }
    }

    /** One partition's stores with the versions of the hours the range reads. */
    private record Versions(PartitionStores stores, VisitorIds ids, long epoch, long spanHours, Long2LongOpenHashMap byHour) {
        long of(long hour) {
            return byHour.get(hour);
        }
    }

    private Versions versions(PartitionStores s) {
        if (s.hours() == null) {
            return null;
        }
        byte[] epoch = s.hours().get(StoreKeys.EPOCH);
        if (epoch == null) {
            return null;
        }
        byte[] span = s.spans().get(StoreKeys.span(request.site()));
        long spanHours = span == null ? 0 : -Math.floorDiv(-Math.max(0, StoreKeys.longOf(span)), HOUR);
        Long2LongOpenHashMap byHour = SegmentScan.hourVersions(s, request.site(), Math.max(0, request.fromMs() / HOUR - spanHours),
                (request.toMs() - 1) / HOUR);
        byHour.defaultReturnValue(Long.MIN_VALUE);
        return new Versions(s, summaries.ids(s.partition()), StoreKeys.longOf(epoch), spanHours, byHour);
    }

    /** A unit's cells and new visitors: a map while it is built, the arrays of a {@link RowTable.Flat} once read. */
    private static final class Cells {
        private final Map<List<String>, SummaryCell> map;
        private final RoaringBitmap firstStarters;
        private RowTable.Flat flat;

        Cells() {
            this.map = new HashMap<>();
            this.firstStarters = new RoaringBitmap();
        }

        Cells(RowTable.Flat flat, RoaringBitmap firstStarters) {
            this.map = null;
            this.flat = flat;
            this.firstStarters = firstStarters;
        }

        void add(List<String> key, SummaryCell cell) {
            map.computeIfAbsent(key, x -> new SummaryCell()).add(cell);
        }

        RowTable.Flat flat() {
            if (flat == null) {
                flat = RowTable.Flat.of(map);
            }
            return flat;
        }
    }

    private Cells cells(Versions v, List<Dimension> d, int visible, Unit u) {
        String dk = dimsKey(d, visible);
        long firstHour = u.start / HOUR;
        long lastHour = (u.end - 1) / HOUR;
        if (u.days == 0) {
            Cells c = new Cells();
            mergeHour(v, d, visible, dk, firstHour, c, true);
            return c;
        }
        long[] vs = new long[(int) (lastHour - firstHour + 1 + v.spanHours)];
        for (int i = 0; i < vs.length; i++) {
            vs[i] = v.of(firstHour - v.spanHours + i);
        }
        Summaries.Key key = new Summaries.Key(v.stores.partition(), request.site(), dk, goalsKey, u.days, u.start);
        Summaries.Sized cached = summaries.get(key);
        if (cached instanceof Summaries.Day day && day.epoch() == v.epoch && day.spanHours() == v.spanHours
                && java.util.Arrays.equals(day.versions(), vs)) {
            return new Cells(day.cells(), day.firstStarters());
        }
        // A day built for the first time is usually one that no longer changes: its hours' summaries
        // (many small cells when there are dimensions) are not kept. A day built again changed, as
        // the current day does under live traffic: its hours are kept, so the next rebuild reads only the hour that changed.
        boolean keepHours = d.isEmpty() || cached != null;
        Cells c = new Cells();
        if (u.days == 7) {
            // A week is the sum of its days, each kept on its own (so a change rebuilds one day and the week's sum).
            for (Unit day : u.parts) {
                Cells dc = cells(v, d, visible, day);
                RowTable.Flat f = dc.flat();
                for (int j = 0; j < f.size(); j++) {
                    c.add(f.keys()[j], f.cells()[j]);
                }
                c.firstStarters.or(dc.firstStarters);
            }
        } else {
            for (long h = firstHour; h <= lastHour; h++) {
                mergeHour(v, d, visible, dk, h, c, keepHours);
            }
        }
        long bytes = 128 + 8L * vs.length + c.firstStarters.getLongSizeInBytes();
        for (Map.Entry<List<String>, SummaryCell> e : c.map.entrySet()) {
            bytes += HourSummary.keyBytes(e.getKey()) + e.getValue().seal().bytes();
        }
        c.firstStarters.runOptimize();
        // Kept as arrays instead of the map: every query that reads the day walks them. They point to
        // the cells (a week is built from its days' cells) and copy their counts, and the budget counts both.
        RowTable.Flat flat = c.flat();
        summaries.put(key, new Summaries.Day(v.epoch, v.spanHours, vs, flat, c.firstStarters, bytes + flat.bytes()));
        return new Cells(flat, c.firstStarters);
    }

    /** Adds the events of one hour (from the visits that started up to a span before it) and the visits that start in it. */
    private void mergeHour(Versions v, List<Dimension> d, int visible, String dk, long hour, Cells into, boolean keep) {
        for (long start = Math.max(0, hour - v.spanHours); start <= hour; start++) {
            HourSummary s = hourSummary(v, d, visible, dk, start, keep);
            Map<List<String>, SummaryCell> part = s.parts().get(hour);
            if (part != null) {
                part.forEach(into::add);
            }
            if (start == hour) {
                into.firstStarters.or(s.firstStarters());
            }
        }
    }

    private HourSummary hourSummary(Versions v, List<Dimension> d, int visible, String dk, long hour, boolean keep) {
        long version = v.of(hour);
        Summaries.Key key = new Summaries.Key(v.stores.partition(), request.site(), dk, goalsKey, 0, hour);
        if (summaries.get(key) instanceof HourSummary s && s.epoch() == v.epoch && s.version() == version) {
            return s;
        }
        List<VisitRecord> visits = SegmentScan.visitsStarting(v.stores, request.site(), hour);
        HourSummary s = HourSummary.build(visits, d, visible, request.goals(), v.ids, hour, v.epoch, version, summaries::canonical);
        if (keep) {
            summaries.put(key, s);
        }
        return s;
    }

    /**
     * The visitor bitmaps of one partition's rows, a chain per row in arrays shared by all rows: a
     * month of a long breakdown adds tens of thousands of cells, and a list per row (grown as its
     * cells come) was most of what such a query allocated.
     */
    private static final class Chains {
        private RoaringBitmap[] items;
        private int[] previous;
        private int size;

        Chains(int expected) {
            items = new RoaringBitmap[Math.max(16, expected)];
            previous = new int[items.length];
        }

        /** Room for {@code n} bitmaps without growing on the way. */
        void reserve(int n) {
            if (n > items.length) {
                items = java.util.Arrays.copyOf(items, n);
                previous = java.util.Arrays.copyOf(previous, n);
            }
        }

        /** Empty again; the bitmaps (the cache's) are let go. */
        void clear() {
            java.util.Arrays.fill(items, 0, size, null);
            size = 0;
        }

        /** Adds {@code b} in front of the chain that starts at {@code head}; the new head. */
        int push(RoaringBitmap b, int head) {
            if (size == items.length) {
                items = java.util.Arrays.copyOf(items, size * 2);
                previous = java.util.Arrays.copyOf(previous, size * 2);
            }
            items[size] = b;
            previous[size] = head;
            return size++;
        }
    }

    /** One row's running counts over the units of one partition. */
    private static final class Acc {
        private final long[] counts = new long[Partial.COUNTS];
        private final Chains chains;
        /** The row's cells' visitors: a chain in {@link #chains} from this index (-1: none). */
        private int head = -1;
        private int withVisitors;
        private RoaringBitmap once;
        private RoaringBitmap twice;
        /** The largest and the sum of the cells' distinct visitors: bounds of the row's. */
        private long maxVisitors;
        private long sumVisitors;
        /** The distinct visitors once counted (-1 before). */
        private long union = -1;

        Acc(Chains chains) {
            this.chains = chains;
        }

        /** As new: no counts, cells or visitors (an accumulator of a {@link Working} is reused). */
        void reset() {
            java.util.Arrays.fill(counts, 0);
            head = -1;
            withVisitors = 0;
            once = null;
            twice = null;
            maxVisitors = 0;
            sumVisitors = 0;
            union = -1;
        }

        /** Adds cell {@code j} of {@code f}: its counts and visitors from the arrays, its starters and repeaters when asked. */
        void add(RowTable.Flat f, int j, boolean repeaters) {
            long[] from = f.counts();
            int at = j * Partial.COUNTS;
            for (int i = 0; i < Partial.COUNTS; i++) {
                counts[i] += from[at + i];
            }
            RoaringBitmap visitors = f.visitors()[j];
            if (visitors != null) {
                head = chains.push(visitors, head);
                withVisitors++;
                long n = f.visitorCounts()[j];
                maxVisitors = Math.max(maxVisitors, n);
                sumVisitors += n;
            }
            if (repeaters) {
                SummaryCell c = f.cells()[j];
                twice = SummaryCell.union(twice, c.repeaters);
                if (c.starters != null) {
                    if (once != null) {
                        twice = SummaryCell.union(twice, RoaringBitmap.and(once, c.starters));
                    }
                    once = SummaryCell.union(once, c.starters);
                }
            }
        }

        /** A lower bound of the count {@code index}: exact but for distinct visitors, there the largest cell's. */
        long low(int index) {
            return index == Partial.VISITORS ? maxVisitors : counts[index];
        }

        /** An upper bound of the count {@code index}: exact but for distinct visitors, there the sum of the cells'. */
        long high(int index) {
            return index == Partial.VISITORS ? sumVisitors : counts[index];
        }

        /** The counts of a row that is not shown: distinct visitors a lower bound (0 only when none), no new or repeat visitors. */
        long[] bounded() {
            long[] out = counts; // an Acc is read once
            out[Partial.VISITORS] = low(Partial.VISITORS);
            out[Partial.NEW_VISITORS] = 0;
            out[Partial.REPEATERS] = 0;
            return out;
        }

        /** The counts with distinct, new and repeat visitors; {@code firstBits}, when given, holds {@code firstStarters}. */
        long[] counts(RoaringBitmap firstStarters, VisitorBits firstBits) {
            long[] out = counts; // an Acc is read once
            out[Partial.REPEATERS] = twice == null ? 0 : twice.getLongCardinality();
            if (withVisitors == 0) {
                out[Partial.VISITORS] = 0;
                out[Partial.NEW_VISITORS] = 0;
            } else if (withVisitors == 1) {
                out[Partial.VISITORS] = chains.items[head].getLongCardinality();
                out[Partial.NEW_VISITORS] = newIn(chains.items[head], firstStarters, firstBits);
            } else if (firstStarters == null) {
                out[Partial.VISITORS] = visitors();
                out[Partial.NEW_VISITORS] = 0;
            } else {
                RoaringBitmap all = union(java.util.Arrays.asList(visitorBitmaps()));
                out[Partial.VISITORS] = all.getLongCardinality();
                out[Partial.NEW_VISITORS] = newIn(all, firstStarters, firstBits);
            }
            return out;
        }

        /**
         * The row's distinct visitors, counted once: only the union's size, counted container by
         * container into one scratch bitset, no union built.
         */
        long visitors() {
            if (union < 0) {
                union = withVisitors == 0 ? 0 : withVisitors == 1 ? chains.items[head].getLongCardinality() : unionCardinality(visitorBitmaps());
            }
            return union;
        }

        private RoaringBitmap[] visitorBitmaps() {
            RoaringBitmap[] out = new RoaringBitmap[withVisitors];
            int n = 0;
            for (int i = head; i >= 0; i = chains.previous[i]) {
                out[n++] = chains.items[i];
            }
            return out;
        }

        private static long newIn(RoaringBitmap visitors, RoaringBitmap firstStarters, VisitorBits firstBits) {
            return firstStarters == null ? 0 : firstBits != null ? firstBits.countIn(visitors) : RoaringBitmap.andCardinality(visitors, firstStarters);
        }
    }
}
