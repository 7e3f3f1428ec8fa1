package io.vantage.api;

import io.vantage.model.EventType;
import io.vantage.store.VisitEvent;
import io.vantage.store.VisitFacts;
import io.vantage.store.VisitRecord;
import java.util.List;

/**
 * The visits of one partition's site that start in one hour, as columns of small numbers: what a
 * filtered query ({@link TableScan}) reads instead of decoding the visits store again. Pages,
 * visit facts and event details are numbers of the query side's dictionaries ({@link TableCodes});
 * visitors are the partition's dense numbers ({@link VisitorIds}); times are milliseconds after the
 * hour's start. About 13 bytes per event and 33 per visit, against about 400 for a decoded visit's
 * objects, so a month of a busy site stays in memory. Built once per hour version (the
 * visit-hours store) and task epoch, like {@link HourSummary}.
 *
 * <p>Visit {@code i}'s events are {@code eventFrom[i]} to {@code eventFrom[i + 1]}, in the order
 * the visit holds them (by time, ties in the order received).
 */
final class VisitTable implements Summaries.Sized {
    final long epoch;
    final long version;
    /**
     * When the hour was last read whole from the visits store ({@link System#nanoTime}); a table
     * brought up to date keeps its table's time.
     */
    long readAt = System.nanoTime();
    final TableCodes codes;
    final long hourStart;
    final int size;
    final int[] visitor;
    final int[] start;
    final int[] duration;
    final boolean[] first;
    final int[] facts;
    /** Entry and exit pages (page numbers, -1 for a visit without a pageview). */
    final int[] entry;
    final int[] exit;
    final int[] pageviews;
    final boolean[] bounce;
    final int[] eventFrom;
    final int[] ts;
    final int[] page;
    final int[] detail;
    final byte[] type;
    private final long bytes;

    private VisitTable(long epoch, long version, TableCodes codes, long hourStart, int size, int events) {
        this.epoch = epoch;
        this.version = version;
        this.codes = codes;
        this.hourStart = hourStart;
        this.size = size;
        visitor = new int[size];
        start = new int[size];
        duration = new int[size];
        first = new boolean[size];
        facts = new int[size];
        entry = new int[size];
        exit = new int[size];
        pageviews = new int[size];
        bounce = new boolean[size];
        eventFrom = new int[size + 1];
        ts = new int[events];
        page = new int[events];
        detail = new int[events];
        type = new byte[events];
        bytes = 256 + 34L * size + 13L * events;
    }

    @Override
    public long bytes() {
        return bytes;
    }

    /**
     * The table of the visits that start in {@code hour}, or null when one of them lasts longer than
     * the 24 days a column of milliseconds holds (the query then takes the general path).
     */
    static VisitTable build(List<VisitRecord> visits, TableCodes codes, VisitorIds ids, long hour, long epoch, long version) {
        int events = 0;
        for (VisitRecord v : visits) {
            events += v.events().size();
        }
        long base = hour * io.vantage.store.StoreKeys.HOUR_MS;
        VisitTable t = new VisitTable(epoch, version, codes, base, visits.size(), events);
        // Values are numbered in this table first, then translated to the shared dictionaries once
        // per distinct value: the current hour is rebuilt at every query under live traffic.
        Local<String> pages = new Local<>();
        Local<VisitFacts> facts = new Local<>();
        Local<TableCodes.Detail> details = new Local<>();
        int[] plain = new int[EventType.values().length];
        java.util.Arrays.fill(plain, -1);
        long[] visitors = new long[visits.size()];
        int e = 0;
        for (int i = 0; i < visits.size(); i++) {
            VisitRecord v = visits.get(i);
            long duration = v.end() - v.start();
            if (v.start() - base < 0 || v.end() - base > Integer.MAX_VALUE || duration < 0) {
                return null;
            }
            visitors[i] = v.visitor();
            t.start[i] = (int) (v.start() - base);
            t.duration[i] = (int) duration;
            t.first[i] = v.firstVisit();
            t.facts[i] = v.facts() == null ? -1 : facts.code(v.facts());
            t.eventFrom[i] = e;
            int entry = -1;
            int exit = -1;
            int pageviews = 0;
            boolean interaction = false;
            for (VisitEvent ev : v.events()) {
                if (ev.ts() - base < 0 || ev.ts() - base > Integer.MAX_VALUE) {
                    return null;
                }
                t.ts[e] = (int) (ev.ts() - base);
                t.page[e] = ev.page() == null ? -1 : pages.code(ev.page());
                int type = ev.type().ordinal();
                if (ev.name() == null && ev.props().isEmpty()) {
                    // Most events (pageviews) have neither: their details are their type.
                    if (plain[type] < 0) {
                        plain[type] = details.code(new TableCodes.Detail(ev.type(), null, java.util.Map.of()));
                    }
                    t.detail[e] = plain[type];
                } else {
                    t.detail[e] = details.code(new TableCodes.Detail(ev.type(), ev.name(), ev.props()));
                }
                t.type[e] = (byte) type;
                if (ev.type().isPageview()) {
                    pageviews++;
                    if (entry < 0) {
                        entry = t.page[e];
                    }
                    exit = t.page[e];
                } else if (ev.type().isInteraction()) {
                    interaction = true;
                }
                e++;
            }
            t.entry[i] = entry;
            t.exit[i] = exit;
            t.pageviews[i] = pageviews;
            // metrics.md: a bounce has at most one pageview and no interaction event (SegmentScan.Session#bounce)
            t.bounce[i] = pageviews <= 1 && !interaction;
        }
        t.eventFrom[visits.size()] = e;
        ids.ids(visitors, t.visitor);
        int[] page = codes.pages.codes(pages.values);
        translate(t.page, page);
        translate(t.entry, page);
        translate(t.exit, page);
        translate(t.facts, codes.facts.codes(facts.values));
        translate(t.detail, codes.details.codes(details.values));
        return t;
    }

    /**
     * This table brought to {@code version}: the rows of the visits under {@code changed} (keys of
     * visits of its hour written since its own version, {@link PartitionStores#changedSince}) are
     * left out and {@code now} (their records as they stand; a deleted visit has none) are added.
     * The other rows are copied, so under live traffic a query builds only the few visits written
     * since the last one. Null as for {@link #build}.
     */
    VisitTable patched(java.util.Collection<org.apache.kafka.common.utils.Bytes> changed, List<VisitRecord> now, VisitorIds ids, long version) {
        long hour = hourStart / io.vantage.store.StoreKeys.HOUR_MS;
        VisitTable delta = build(now, codes, ids, hour, epoch, version);
        if (delta == null) {
            return null;
        }
        it.unimi.dsi.fastutil.longs.LongOpenHashSet gone = new it.unimi.dsi.fastutil.longs.LongOpenHashSet(changed.size());
        for (org.apache.kafka.common.utils.Bytes key : changed) {
            long start = io.vantage.store.StoreKeys.visitStart(key) - hourStart;
            gone.add(rowKey((int) start, ids.id(io.vantage.store.StoreKeys.visitVisitor(key))));
        }
        boolean[] keep = new boolean[size];
        int rows = 0;
        int events = 0;
        for (int i = 0; i < size; i++) {
            keep[i] = !gone.contains(rowKey(start[i], visitor[i]));
            if (keep[i]) {
                rows++;
                events += eventFrom[i + 1] - eventFrom[i];
            }
        }
        VisitTable t = new VisitTable(epoch, version, codes, hourStart, rows + delta.size, events + delta.eventFrom[delta.size]);
        t.readAt = readAt;
        int r = 0;
        int e = 0;
        for (int i = 0; i < size; i++) {
            if (keep[i]) {
                t.copyRow(r++, this, i, e);
                e += eventFrom[i + 1] - eventFrom[i];
            }
        }
        for (int i = 0; i < delta.size; i++) {
            t.copyRow(r++, delta, i, e);
            e += delta.eventFrom[i + 1] - delta.eventFrom[i];
        }
        t.eventFrom[r] = e;
        return t;
    }

    private static long rowKey(int start, int visitor) {
        return (long) start << 32 | (visitor & 0xFFFF_FFFFL);
    }

    /** Row {@code i} of {@code from} as this table's row {@code r}, its events from {@code e}. */
    private void copyRow(int r, VisitTable from, int i, int e) {
        visitor[r] = from.visitor[i];
        start[r] = from.start[i];
        duration[r] = from.duration[i];
        first[r] = from.first[i];
        facts[r] = from.facts[i];
        entry[r] = from.entry[i];
        exit[r] = from.exit[i];
        pageviews[r] = from.pageviews[i];
        bounce[r] = from.bounce[i];
        eventFrom[r] = e;
        int fe = from.eventFrom[i];
        int n = from.eventFrom[i + 1] - fe;
        System.arraycopy(from.ts, fe, ts, e, n);
        System.arraycopy(from.page, fe, page, e, n);
        System.arraycopy(from.detail, fe, detail, e, n);
        System.arraycopy(from.type, fe, type, e, n);
    }

    private static void translate(int[] column, int[] global) {
        for (int i = 0; i < column.length; i++) {
            if (column[i] >= 0) {
                column[i] = global[column[i]];
            }
        }
    }

    /** One table's own numbering of a column's values, in the order first seen. */
    private static final class Local<T> {
        private final it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap<T> codes = new it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap<>();
        private final List<T> values = new java.util.ArrayList<>();

        Local() {
            codes.defaultReturnValue(-1);
        }

        int code(T value) {
            int c = codes.getInt(value);
            if (c < 0) {
                c = values.size();
                codes.put(value, c);
                values.add(value);
            }
            return c;
        }
    }
}
