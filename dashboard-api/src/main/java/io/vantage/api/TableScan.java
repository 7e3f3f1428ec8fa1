package io.vantage.api;

import io.vantage.model.EventType;
import io.vantage.store.StoreKeys;
import io.vantage.store.VisitRecord;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * The path of filtered queries the pre-aggregates cannot answer (event and trait filters, ranges
 * not on whole hours): {@link SegmentScan}'s pass over every visit of the range, run over cached
 * {@link VisitTable}s instead of decoded visits. A filter is evaluated once per dictionary number
 * (a page, a visit's facts, an event's details) and remembered; rows are keyed by numbers packed
 * in a long; distinct visitors are Roaring bitmaps of dense numbers. The counts are
 * {@link SegmentScan}'s, row by row (a test compares the two on every shape and filter).
 *
 * <p>It takes every filter; it leaves to the scan goal and trait dimensions (goal rows need their
 * denominators, trait rows a value that changes without a visit), minute buckets, ranges over
 * {@link SegmentScan#MAX_CACHED_HOURS}, and time buckets that split an hour (half-hour zones).
 */
final class TableScan {
    private static final long HOUR = StoreKeys.HOUR_MS;
    /** Bits of one row-key component: dictionary numbers stay below {@link TableCodes#MAX_ENTRIES}, well within. */
    private static final int BITS = 21;
    private static final long MASK = (1L << BITS) - 1;
    private static final EventType[] TYPES = EventType.values();
    private final ScanRequest request;
    private final Summaries summaries;
    /** The query's dimensions in the order asked, time included (as null). */
    private final List<Dimension> dims;
    private final int timeIndex;
    private final boolean eventDims;
    private final List<Filter> eventFilters = new ArrayList<>();
    private final List<Filter> visitFilters = new ArrayList<>();
    private final List<Filter> traitFilters = new ArrayList<>();
    private final long fromHour;
    /** Per hour of the range, the index of its time bucket's label in {@link #labels}. */
    private final int[] hourLabel;
    private final List<String> labels = new ArrayList<>();

    private TableScan(ScanRequest request, Summaries summaries, List<Dimension> dims, int timeIndex, Buckets buckets) {
        this.request = request;
        this.summaries = summaries;
        this.dims = dims;
        this.timeIndex = timeIndex;
        this.eventDims = dims.stream().anyMatch(d -> d != null && d.kind() == Dimension.Kind.EVENT);
        this.fromHour = Math.floorDiv(request.fromMs(), HOUR);
        long toHour = Math.floorDiv(request.toMs() - 1, HOUR);
        this.hourLabel = new int[(int) (toHour - fromHour + 1)];
        if (buckets != null) {
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < hourLabel.length; i++) {
                String label = buckets.label(Math.max(request.fromMs(), (fromHour + i) * HOUR));
                hourLabel[i] = index.computeIfAbsent(label, l -> {
                    labels.add(l);
                    return labels.size() - 1;
                });
            }
        }
    }

    /** The plan of a query on this path, or null when it needs the general one. */
    static TableScan plan(ScanRequest r, Summaries summaries) {
        if (r.toMs() <= r.fromMs() || Math.floorDiv(r.toMs() - 1, HOUR) - Math.floorDiv(r.fromMs(), HOUR) > SegmentScan.MAX_CACHED_HOURS) {
            return null;
        }
        List<Dimension> dims = new ArrayList<>();
        int timeIndex = -1;
        Buckets buckets = null;
        for (String name : r.dimensions()) {
            var tg = TimeGrouping.ofApiName(name);
            if (tg.isPresent()) {
                if (tg.get() == TimeGrouping.MINUTE) {
                    return null;
                }
                buckets = new Buckets(ZoneId.of(r.zone()), tg.get());
                timeIndex = dims.size();
                dims.add(null);
                continue;
            }
            Dimension d = Dimension.ofApiName(name).orElse(null);
            if (d == null || d.field() == Dimension.Field.GOAL || d.kind() == Dimension.Kind.VISITOR) {
                return null;
            }
            dims.add(d);
        }
        if (dims.size() > 3) {
            return null;
        }
        if (buckets != null) {
            // Every hour of the range must fall in one bucket: events are bucketed by their hour.
            for (long h = Math.floorDiv(r.fromMs(), HOUR); h * HOUR < r.toMs(); h++) {
                long first = Math.max(r.fromMs(), h * HOUR);
                long last = Math.min(r.toMs(), (h + 1) * HOUR) - 1;
                if (!buckets.label(first).equals(buckets.label(last))) {
                    return null;
                }
            }
        }
        TableScan scan = new TableScan(r, summaries, dims, timeIndex, buckets);
        for (ScanRequest.FilterSpec f : r.filters()) {
            Dimension d = Dimension.ofApiName(f.dimension()).orElse(null);
            if (d == null || d.kind() == Dimension.Kind.TIME) {
                return null;
            }
            Filter compiled = Filter.of(f.op(), d, f.values(), f.caseSensitive());
            switch (d.kind()) {
                case EVENT -> scan.eventFilters.add(compiled);
                case VISIT -> scan.visitFilters.add(compiled);
                default -> scan.traitFilters.add(compiled);
            }
        }
        return scan;
    }

    /** One instance's share, or null when a partition's stores have no versions to cache by (the general path then reads them). */
    Partial scan(List<PartitionStores> stores, List<Integer> partitions) {
        TableCodes codes = summaries.codes();
        // Partitions are independent (a visitor lives in one): they are read in parallel, each with
        // its own remembered values, then summed.
        List<Part> parts = stores.parallelStream().map(s -> {
            Part part = new Part(new Values(codes), traitsOf(s));
            return readInto(s, codes, part) ? part : null;
        }).toList();
        Map<List<String>, long[]> rows = new HashMap<>();
        long[] total = new long[Partial.COUNTS];
        for (Part part : parts) {
            if (part == null) {
                return null;
            }
            part.finish(rows, total);
        }
        List<Partial.Row> out = new ArrayList<>(rows.size());
        rows.forEach((k, c) -> out.add(new Partial.Row(k, c)));
        return new Partial(partitions, out, total, List.of());
    }

    /** Reads every table the range needs into {@code part}; false when the stores cannot be cached by version. */
    private boolean readInto(PartitionStores s, TableCodes codes, Part part) {
        if (s.hours() == null) {
            return false;
        }
        byte[] epochBytes = s.hours().get(StoreKeys.EPOCH);
        if (epochBytes == null) {
            return false;
        }
        long epoch = StoreKeys.longOf(epochBytes);
        byte[] span = s.spans().get(StoreKeys.span(request.site()));
        long maxSpan = span == null ? 0 : StoreKeys.longOf(span);
        long first = Math.max(0, Math.floorDiv(request.fromMs() - maxSpan, HOUR));
        long last = Math.floorDiv(request.toMs() - 1, HOUR);
        // The versions are read before the tables: a write during the read only makes a table look older than it is.
        Long2LongOpenHashMap versions = SegmentScan.hourVersions(s, request.site(), first, last);
        VisitorIds ids = summaries.ids(s.partition());
        for (long hour = first; hour <= last; hour++) {
            long version = versions.get(hour);
            VisitTable t = summaries.table(s.partition(), request.site(), hour);
            if (t == null || t.epoch != epoch || t.version != version || t.codes != codes) {
                // Under live traffic the current hour changes between two queries: the kept table is
                // brought up to date with the few visits written since, or else read again whole.
                // (A table a concurrent query brought further than the versions read here is taken as
                // it is. Version 0 is an hour without visits when read: there is no write to start from.)
                // The hour is still read whole every REREAD_NANOS: a range read of the cached visits
                // store can miss a visit the record cache evicts during the read, which a table only
                // brought up to date would then miss until that visit is written again.
                VisitTable kept = t;
                boolean same = kept != null && kept.epoch == epoch && kept.codes == codes && kept.version != 0 && version != 0
                        && System.nanoTime() - kept.readAt < REREAD_NANOS;
                t = !same ? null : kept.version - version > 0 ? kept : patched(s, kept, ids, hour, version);
                if (t == null) {
                    t = VisitTable.build(SegmentScan.visitsStarting(s, request.site(), hour), codes, ids, hour, epoch, version);
                }
                if (t == null) {
                    return false;
                }
                summaries.putTable(s.partition(), request.site(), hour, t);
            }
            if (!part.add(t)) {
                return false;
            }
        }
        return true;
    }

    /** How long a table is brought up to date from the visit-changes ring before its hour is read whole again. */
    static final long REREAD_NANOS = 300_000_000_000L;

    /** A kept table brought to {@code version} with the visits written since its own; null when they are no longer known. */
    private VisitTable patched(PartitionStores s, VisitTable t, VisitorIds ids, long hour, long version) {
        Map<Bytes, byte[]> changed = s.changedSince(request.site(), hour, t.version, version);
        if (changed == null) {
            return null;
        }
        List<VisitRecord> now = new ArrayList<>(changed.size());
        changed.forEach((key, bytes) -> {
            if (bytes != null) {
                now.add(VisitRecord.decode(bytes, StoreKeys.visitStart(key)));
            }
        });
        return t.patched(changed.keySet(), now, ids, version);
    }

    /** The visitors of one partition that pass the trait filters, or null without trait filters. */
    private Traits traitsOf(PartitionStores s) {
        if (traitFilters.isEmpty()) {
            return null;
        }
        VisitorIds ids = summaries.ids(s.partition());
        Traits t = new Traits();
        for (Filter f : traitFilters) {
            RoaringBitmap has = new RoaringBitmap();
            RoaringBitmap passes = new RoaringBitmap();
            Bytes[] range = StoreKeys.traitRange(request.site(), f.dimension().param());
            try (KeyValueIterator<Bytes, byte[]> it = s.traits().range(range[0], range[1])) {
                while (it.hasNext()) {
                    KeyValue<Bytes, byte[]> kv = it.next();
                    int id = ids.id(StoreKeys.traitVisitor(kv.key));
                    has.add(id);
                    if (f.test(new String(kv.value, StandardCharsets.UTF_8))) {
                        passes.add(id);
                    }
                }
            }
            t.has.add(has);
            t.passes.add(passes);
            t.missingPasses.add(f.test(null));
        }
        return t;
    }

    /** Per trait filter: the visitors with a value, those whose value passes, and whether no value passes. */
    private static final class Traits {
        final List<RoaringBitmap> has = new ArrayList<>();
        final List<RoaringBitmap> passes = new ArrayList<>();
        final List<Boolean> missingPasses = new ArrayList<>();

        boolean test(int visitor) {
            for (int i = 0; i < has.size(); i++) {
                boolean ok = has.get(i).contains(visitor) ? passes.get(i).contains(visitor) : missingPasses.get(i);
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * What one partition's read remembers per dictionary number: whether each filter
     * passes it, and the row value (an index into {@link #strings}, or a page number) of each dimension.
     */
    private final class Values {
        final TableCodes codes;
        final Memo[] eventTests;
        final Memo[] visitTests;
        final Memo[] dimValues;
        final Memo conversion = new Memo();
        final List<Map<String, Integer>> index = new ArrayList<>();
        final List<List<String>> strings = new ArrayList<>();

        Values(TableCodes codes) {
            this.codes = codes;
            eventTests = memos(eventFilters.size());
            visitTests = memos(visitFilters.size());
            dimValues = memos(dims.size());
            for (int i = 0; i < dims.size(); i++) {
                index.add(new HashMap<>());
                strings.add(new ArrayList<>());
            }
        }

        private static Memo[] memos(int n) {
            Memo[] m = new Memo[n];
            for (int i = 0; i < n; i++) {
                m[i] = new Memo();
            }
            return m;
        }

        boolean eventPasses(VisitTable t, int e) {
            for (int f = 0; f < eventTests.length; f++) {
                Filter filter = eventFilters.get(f);
                boolean byPage = filter.dimension().field() == Dimension.Field.PAGE;
                int code = byPage ? t.page[e] : t.detail[e];
                int pass = eventTests[f].get(code);
                if (pass == Memo.UNKNOWN) {
                    String value = code < 0 ? null : byPage ? page(code) : detailValue(filter.dimension(), code);
                    pass = eventTests[f].put(code, filter.test(value) ? 1 : 0);
                }
                if (pass == 0) {
                    return false;
                }
            }
            return true;
        }

        boolean visitPasses(VisitTable t, int i) {
            for (int f = 0; f < visitTests.length; f++) {
                Filter filter = visitFilters.get(f);
                Dimension d = filter.dimension();
                int code = visitCode(t, i, d);
                int pass = visitTests[f].get(code);
                if (pass == Memo.UNKNOWN) {
                    pass = visitTests[f].put(code, filter.test(visitValue(d, code)) ? 1 : 0);
                }
                if (pass == 0) {
                    return false;
                }
            }
            return true;
        }

        boolean isConversion(int detail) {
            int yes = conversion.get(detail);
            if (yes == Memo.UNKNOWN) {
                TableCodes.Detail x = codes.details.value(detail);
                yes = conversion.put(detail, x.type() == EventType.FORM_SUBMIT || x.type() == EventType.CUSTOM && x.name() != null
                        && request.goals().contains(x.name()) ? 1 : 0);
            }
            return yes == 1;
        }

        /** The number a visit dimension's value is remembered by: a page number for entry and exit pages, else the facts'. */
        int visitCode(VisitTable t, int i, Dimension d) {
            return switch (d.field()) {
                case ENTRY_PAGE -> t.entry[i];
                case EXIT_PAGE -> t.exit[i];
                default -> t.facts[i];
            };
        }

        String visitValue(Dimension d, int code) {
            if (code < 0) {
                return null;
            }
            return SegmentScan.isPage(d) ? page(code) : SegmentScan.factValue(d, codes.facts.value(code));
        }

        String page(int code) {
            return code < 0 ? null : codes.pages.value(code);
        }

        String detailValue(Dimension d, int code) {
            TableCodes.Detail x = codes.details.value(code);
            return switch (d.field()) {
                case TYPE -> x.type().wire();
                case NAME -> x.name();
                case PROP -> x.props().get(d.param());
                case GOAL -> x.type() == EventType.FORM_SUBMIT ? EventType.FORM_SUBMIT.wire()
                        : x.type() == EventType.CUSTOM && x.name() != null && request.goals().contains(x.name()) ? x.name() : null;
                default -> throw new IllegalArgumentException("not an event detail: " + d.apiName());
            };
        }

        /** The row value of dimension {@code k} for visit {@code i} (or its event {@code e}); -1 for none. */
        int rowValue(int k, VisitTable t, int i, int e) {
            Dimension d = dims.get(k);
            if (d.field() == Dimension.Field.PAGE) {
                return t.page[e];
            }
            if (d.kind() == Dimension.Kind.VISIT && SegmentScan.isPage(d)) {
                return visitCode(t, i, d);
            }
            boolean ofEvent = d.kind() == Dimension.Kind.EVENT;
            int code = ofEvent ? t.detail[e] : t.facts[i];
            int value = dimValues[k].get(code);
            if (value == Memo.UNKNOWN) {
                String v = code < 0 ? null : ofEvent ? detailValue(d, code) : SegmentScan.factValue(d, codes.facts.value(code));
                if (v == null && d.labelsMissing()) {
                    v = Dimension.NONE;
                }
                value = dimValues[k].put(code, v == null ? -1 : index.get(k).computeIfAbsent(v, x -> {
                    strings.get(k).add(x);
                    return strings.get(k).size() - 1;
                }));
            }
            return value;
        }

        /** The label of component {@code k} of a row key. */
        String label(int k, int value) {
            Dimension d = dims.get(k);
            if (d == null) {
                return labels.get(value);
            }
            return d.field() == Dimension.Field.PAGE || d.kind() == Dimension.Kind.VISIT && SegmentScan.isPage(d) ? page(value)
                    : strings.get(k).get(value);
        }
    }

    /**
     * A remembered int per dictionary number, and one for "no value" (-1). Read with {@link #get}
     * and filled with {@link #put} on {@link #UNKNOWN}, so the per-event path allocates nothing.
     */
    private static final class Memo {
        static final int UNKNOWN = Integer.MIN_VALUE;
        private int[] values = new int[0];
        private int none = UNKNOWN;

        int get(int code) {
            if (code < 0) {
                return none;
            }
            return code < values.length ? values[code] : UNKNOWN;
        }

        int put(int code, int value) {
            if (code < 0) {
                none = value;
                return value;
            }
            if (code >= values.length) {
                int old = values.length;
                values = Arrays.copyOf(values, Math.max(code + 1, old * 2 + 64));
                Arrays.fill(values, old, values.length, UNKNOWN);
            }
            values[code] = value;
            return value;
        }
    }

    /** One partition's running counts, by row. */
    private final class Part {
        private final Values values;
        private final Traits traits;
        private final Long2IntOpenHashMap rowIndex = new Long2IntOpenHashMap();
        private final List<long[]> rowCounts = new ArrayList<>();
        private final List<RoaringBitmap> rowVisitors = new ArrayList<>();
        private final List<RoaringBitmap> rowOnce = new ArrayList<>();
        private final List<RoaringBitmap> rowTwice = new ArrayList<>();
        private final List<Long> rowKeys = new ArrayList<>();
        private int[] rowStamp = new int[64];
        private int stamp;
        private final long[] total = new long[Partial.COUNTS];
        private final RoaringBitmap totalVisitors = new RoaringBitmap();
        private final RoaringBitmap totalOnce = new RoaringBitmap();
        private final RoaringBitmap totalTwice = new RoaringBitmap();
        /** Visitors whose first visit starts in the range, per time-bucket label (one set without a time dimension). */
        private final RoaringBitmap[] firsts;
        private boolean[] selected = new boolean[64];
        private boolean overflow;

        Part(Values values, Traits traits) {
            this.values = values;
            this.traits = traits;
            rowIndex.defaultReturnValue(-1);
            firsts = new RoaringBitmap[Math.max(1, labels.size())];
            for (int i = 0; i < firsts.length; i++) {
                firsts[i] = new RoaringBitmap();
            }
        }

        private int labelOf(long ts) {
            return timeIndex < 0 ? 0 : hourLabel[(int) (Math.floorDiv(ts, HOUR) - fromHour)];
        }

        /** Adds one table's visits; false when a row key does not fit (the general path then answers). */
        boolean add(VisitTable t) {
            long from = request.fromMs();
            long to = request.toMs();
            boolean hasDims = !dims.isEmpty();
            for (int i = 0; i < t.size; i++) {
                long start = t.hourStart + t.start[i];
                if (start >= to || start + t.duration[i] < from) {
                    continue;
                }
                boolean startsIn = start >= from;
                int visitor = t.visitor[i];
                if (startsIn && t.first[i]) {
                    firsts[labelOf(start)].add(visitor);
                }
                if (traits != null && !traits.test(visitor) || !values.visitPasses(t, i)) {
                    continue;
                }
                int ef = t.eventFrom[i];
                int n = t.eventFrom[i + 1] - ef;
                if (selected.length < n) {
                    selected = new boolean[Math.max(n, selected.length * 2)];
                }
                boolean any = false;
                for (int j = 0; j < n; j++) {
                    selected[j] = values.eventPasses(t, ef + j);
                    any |= selected[j];
                }
                if (!any) {
                    continue;
                }
                stamp++;
                boolean counted = false;
                for (int j = 0; j < n; j++) {
                    int e = ef + j;
                    long ts = t.hourStart + t.ts[e];
                    if (!selected[j] || ts < from || ts >= to) {
                        continue;
                    }
                    counted = true;
                    boolean pageview = TYPES[t.type[e]].isPageview();
                    event(total, pageview);
                    if (hasDims) {
                        int row = row(t, i, e, labelOf(ts));
                        if (row >= 0) {
                            event(rowCounts.get(row), pageview);
                            if (rowStamp[row] != stamp) {
                                rowStamp[row] = stamp;
                                rowVisitors.get(row).add(visitor);
                            }
                        }
                    }
                }
                if (counted) {
                    totalVisitors.add(visitor);
                }
                if (overflow) {
                    return false;
                }
                if (!startsIn) {
                    continue;
                }
                long conversion = -1;
                for (int j = 0; j < n; j++) {
                    if (values.isConversion(t.detail[ef + j])) {
                        conversion = t.ts[ef + j] - t.start[i];
                        break;
                    }
                }
                visit(total, t, i, n, conversion);
                repeat(totalOnce, totalTwice, visitor);
                if (!hasDims) {
                    continue;
                }
                int label = labelOf(start);
                stamp++;
                for (int j = 0; j < n; j++) {
                    if (!eventDims && j > 0 || eventDims && !selected[j]) {
                        continue;
                    }
                    // Without an event dimension the row is the visit's own, taken once.
                    int row = row(t, i, ef + j, label);
                    if (row >= 0 && rowStamp[row] != stamp) {
                        rowStamp[row] = stamp;
                        visit(rowCounts.get(row), t, i, n, conversion);
                        repeat(rowOnce.get(row), rowTwice.get(row), visitor);
                    }
                }
                if (overflow) {
                    return false;
                }
            }
            return true;
        }

        private void event(long[] c, boolean pageview) {
            c[Partial.EVENTS]++;
            if (pageview) {
                c[Partial.PAGEVIEWS]++;
            }
        }

        /** {@link SegmentScan.Session#countInto}, from the columns. */
        private void visit(long[] c, VisitTable t, int i, int events, long conversionMs) {
            c[Partial.VISITS]++;
            c[Partial.BOUNCES] += t.bounce[i] ? 1 : 0;
            c[Partial.DURATION_MS] += t.duration[i];
            c[Partial.SESSION_EVENTS] += events;
            c[Partial.SESSION_PAGEVIEWS] += t.pageviews[i];
            if (conversionMs >= 0) {
                c[Partial.CONVERSIONS]++;
                c[Partial.CONVERSION_MS] += conversionMs;
            }
        }

        private void repeat(RoaringBitmap once, RoaringBitmap twice, int visitor) {
            if (request.repeaters() && !once.checkedAdd(visitor)) {
                twice.add(visitor);
            }
        }

        /** The row of an event (or of the visit, for its visit dimensions), -1 when it has none. */
        private int row(VisitTable t, int i, int e, int label) {
            long key = 0;
            for (int k = 0; k < dims.size(); k++) {
                int v = k == timeIndex ? label : values.rowValue(k, t, i, e);
                if (v < 0) {
                    return -1;
                }
                if (v > MASK) {
                    overflow = true;
                    return -1;
                }
                key |= (long) v << (BITS * k);
            }
            int row = rowIndex.get(key);
            if (row < 0) {
                row = rowCounts.size();
                rowIndex.put(key, row);
                rowKeys.add(key);
                rowCounts.add(new long[Partial.COUNTS]);
                rowVisitors.add(new RoaringBitmap());
                rowOnce.add(new RoaringBitmap());
                rowTwice.add(new RoaringBitmap());
                if (row >= rowStamp.length) {
                    rowStamp = Arrays.copyOf(rowStamp, rowStamp.length * 2);
                }
            }
            return row;
        }

        /** Adds this partition's counts, with its distinct, new and repeat visitors, to the instance's. */
        void finish(Map<List<String>, long[]> rows, long[] into) {
            RoaringBitmap allFirsts = RoaringBitmap.or(firsts);
            // A breakdown of many rows (pages) looks each row's visitors up in plain bits instead.
            VisitorBits[] bits = rowCounts.size() >= SummaryScan.MANY_ROWS && VisitorBits.fit(firsts.length + 1, allFirsts)
                    ? new VisitorBits[firsts.length + 1] : null;
            total[Partial.VISITORS] = totalVisitors.getLongCardinality();
            total[Partial.NEW_VISITORS] = RoaringBitmap.andCardinality(totalVisitors, allFirsts);
            total[Partial.REPEATERS] = totalTwice.getLongCardinality();
            add(into, total);
            for (int row = 0; row < rowCounts.size(); row++) {
                long key = rowKeys.get(row);
                String[] k = new String[dims.size()];
                int label = 0;
                for (int d = 0; d < k.length; d++) {
                    int v = (int) ((key >>> (BITS * d)) & MASK);
                    k[d] = values.label(d, v);
                    if (d == timeIndex) {
                        label = v;
                    }
                }
                long[] c = rowCounts.get(row);
                RoaringBitmap visitors = rowVisitors.get(row);
                c[Partial.VISITORS] = visitors.getLongCardinality();
                int set = timeIndex < 0 ? firsts.length : label;
                RoaringBitmap first = timeIndex < 0 ? allFirsts : firsts[label];
                if (bits != null && bits[set] == null) {
                    bits[set] = VisitorBits.of(first);
                }
                c[Partial.NEW_VISITORS] = bits != null ? bits[set].countIn(visitors) : RoaringBitmap.andCardinality(visitors, first);
                c[Partial.REPEATERS] = rowTwice.get(row).getLongCardinality();
                add(rows.computeIfAbsent(Arrays.asList(k), x -> new long[Partial.COUNTS]), c);
            }
        }

        private void add(long[] into, long[] c) {
            for (int i = 0; i < Partial.COUNTS; i++) {
                into[i] += c[i];
            }
        }
    }
}
