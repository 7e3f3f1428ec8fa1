package io.vantage.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.model.Event;
import io.vantage.model.EventType;
import io.vantage.store.StoreKeys;
import io.vantage.store.VisitRecord;
import io.vantage.testing.TestEvents;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The path of filtered queries over cached columns ({@link TableScan}) against the scan of every
 * decoded visit ({@link SegmentScan}), over random traffic of the production topology: event
 * filters on every kind of event dimension, combined event filters, trait filters, visit filters,
 * and all of them together, on every query shape the path takes, over ranges on and off whole hours.
 */
class TableScanTest {
    private static final LocalDate FIRST = LocalDate.parse("2024-03-25");
    private static final int DAYS = 10;
    private static final List<String> GOALS = List.of("signup");
    private static final List<List<String>> SHAPES = List.of(
            List.of(), List.of("time:hour"), List.of("time:day"), List.of("time:week"), List.of("time:hour_of_day"),
            List.of("event:page"), List.of("visit:source"), List.of("visit:entry_page"), List.of("visit:exit_page"),
            List.of("event:props:plan"), List.of("event:name"), List.of("event:type"), List.of("visit:referrer_medium"),
            List.of("visit:country", "visit:browser"), List.of("event:page", "visit:source"), List.of("time:day", "event:page"),
            List.of("visit:source", "time:day"), List.of("event:name", "visit:exit_page", "time:day"),
            // hundreds of rows: new visitors are counted in VisitorBits
            List.of("time:hour", "event:page"));
    private static final List<List<ScanRequest.FilterSpec>> FILTERS = List.of(
            List.of(f("is", "event:page", "/pricing")),
            List.of(new ScanRequest.FilterSpec("contains", "event:page", List.of("/BLOG"), false)),
            List.of(f("is_not", "event:page", "/")),
            List.of(f("is", "event:name", "signup")),
            List.of(f("is", "event:goal", "signup")),
            List.of(f("matches", "event:type", "^(custom|form_submit)$")),
            List.of(f("is", "event:props:plan", "pro")),
            // events without the property match the negation
            List.of(f("is_not", "event:props:plan", "pro")),
            // an event must match both
            List.of(f("contains", "event:page", "/"), f("is_not", "event:name", "play")),
            List.of(f("is", "visitor:trait:plan", "pro")),
            // visitors without the trait match the negation
            List.of(f("is_not", "visitor:trait:plan", "pro")),
            List.of(f("is", "visit:source", "Google"), f("contains", "event:page", "/docs")),
            List.of(f("is_not", "visit:entry_page", "/about"), f("is", "visitor:trait:plan", "free"), f("is_not", "event:type", "click")),
            List.of(f("contains_not", "visit:utm_source", "none")));
    private MetricsHarness h;

    private static ScanRequest.FilterSpec f(String op, String dimension, String value) {
        return new ScanRequest.FilterSpec(op, dimension, List.of(value), true);
    }

    @BeforeEach
    void traffic() {
        h = new MetricsHarness(Instant.parse("2024-04-10T00:00:00Z")).site(TestEvents.SITE, "Europe/Berlin", "signup");
        h.send(RandomTraffic.visits(new Random(20261208), FIRST, DAYS, 120).toArray(Event.Builder[]::new));
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void everyFilterOnEveryShapeCountsWhatTheScanCounts() {
        int compared = 0;
        int withVisitors = 0;
        Summaries summaries = new Summaries(64L << 20);
        for (String zone : List.of("Europe/Berlin", "America/New_York")) {
            ZoneId z = ZoneId.of(zone);
            long[][] ranges = {
                    {FIRST.atStartOfDay(z).toInstant().toEpochMilli(), FIRST.plusDays(DAYS + 1).atStartOfDay(z).toInstant().toEpochMilli()},
                    // off whole hours at both ends, across the daylight-saving change
                    {LocalDateTime.parse("2024-03-29T09:17:30").atZone(z).toInstant().toEpochMilli(),
                            LocalDateTime.parse("2024-04-01T17:42").atZone(z).toInstant().toEpochMilli()}};
            for (long[] range : ranges) {
                for (List<ScanRequest.FilterSpec> filters : FILTERS) {
                    for (List<String> dims : SHAPES) {
                        // One cache for every query: tables and remembered values must not leak between queries.
                        withVisitors += assertSame(new ScanRequest(TestEvents.SITE, zone, GOALS, range[0], range[1], dims, filters, true),
                                summaries) > 0 ? 1 : 0;
                        compared++;
                    }
                }
            }
        }
        assertThat(compared).isEqualTo(2 * 2 * FILTERS.size() * SHAPES.size());
        assertThat(withVisitors).as("every filter selects some visitors").isEqualTo(compared);
    }

    @Test
    void newEventsInAnHourAlreadyReadAreCountedAtTheNextQuery() {
        // Given a query that read (and cached) every hour of the range
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        long from = FIRST.atStartOfDay(berlin).toInstant().toEpochMilli();
        long to = FIRST.plusDays(DAYS + 2).atStartOfDay(berlin).toInstant().toEpochMilli();
        ScanRequest request = new ScanRequest(TestEvents.SITE, "Europe/Berlin", GOALS, from, to, List.of("visit:source"),
                List.of(f("contains", "event:page", "/pri")), true);
        Summaries summaries = new Summaries(64L << 20);
        long[] before = TableScan.plan(request, summaries).scan(List.of(h.stores()), List.of(0)).total();
        long empty = LocalDateTime.parse("2024-04-05T15:00").atZone(berlin).toInstant().toEpochMilli();
        assertThat(SegmentScan.hourVersions(h.stores(), TestEvents.SITE, empty / StoreKeys.HOUR_MS, empty / StoreKeys.HOUR_MS))
                .as("an hour without visits when read").isEmpty();

        // When a new visitor and a returning one see the page in an hour already read, and another
        // in an hour that had no visits when read
        long t = LocalDateTime.parse("2024-03-27T12:00").atZone(berlin).toInstant().toEpochMilli();
        h.send(TestEvents.pageview("newcomer", t, "/pricing"), TestEvents.pageview("v1", t + 1_000, "/pricing"),
                TestEvents.event(EventType.CUSTOM, "v1", t + 2_000).name("signup"), TestEvents.pageview("late", empty + 60_000, "/pricing"));

        // Then the next query counts them, as the scan does
        Partial after = TableScan.plan(request, summaries).scan(List.of(h.stores()), List.of(0));
        assertThat(after.total()[Partial.EVENTS]).isEqualTo(before[Partial.EVENTS] + 3);
        assertThat(MetricsHarness.rows(after)).isEqualTo(MetricsHarness.rows(h.scan(request)));
        assertThat(after.total()).isEqualTo(h.scan(request).total());
    }

    @Test
    void keptTablesBroughtUpToDateWithTheVisitsWrittenSinceEqualTablesReadAgain() {
        // Given every hour of the traffic read once (and kept)
        ZoneId utc = ZoneId.of("UTC");
        long from = FIRST.atStartOfDay(utc).toInstant().toEpochMilli();
        long to = FIRST.plusDays(DAYS + 1).atStartOfDay(utc).toInstant().toEpochMilli();
        Summaries summaries = new Summaries(64L << 20);
        ScanRequest all = new ScanRequest(TestEvents.SITE, "UTC", GOALS, from, to, List.of("event:page"), List.of(f("contains", "event:page", "/")), true);
        assertSame(all, summaries);
        Map<Long, VisitTable> kept = new java.util.HashMap<>();
        for (long hour = from / StoreKeys.HOUR_MS; hour < to / StoreKeys.HOUR_MS; hour++) {
            VisitTable t = summaries.table(0, TestEvents.SITE, hour);
            if (t != null) {
                kept.put(hour, t);
            }
        }

        // When the same visitors come back out of order, in three rounds: their visits merge, move
        // to an earlier start, lose their first-visit flag; and one visitor is erased
        List<Event.Builder> later = RandomTraffic.visits(new Random(7), FIRST, DAYS, 40);
        int patched = 0;
        for (int round = 0; round < 3; round++) {
            h.send(later.subList(round * later.size() / 3, (round + 1) * later.size() / 3).toArray(Event.Builder[]::new));
            if (round == 1) {
                h.erase(TestEvents.SITE, "v5");
            }
            // Then each kept table brought up to date holds what a table read again holds
            Long2LongOpenHashMap versions = SegmentScan.hourVersions(h.stores(), TestEvents.SITE, from / StoreKeys.HOUR_MS, to / StoreKeys.HOUR_MS);
            VisitorIds ids = summaries.ids(0);
            for (Map.Entry<Long, VisitTable> e : kept.entrySet()) {
                long hour = e.getKey();
                VisitTable old = e.getValue();
                long version = versions.get(hour);
                // (an hour without visits when it was read has no version to start from: it is read again)
                if (version == old.version || old.version == 0) {
                    continue;
                }
                Map<Bytes, byte[]> changed = h.stores().changedSince(TestEvents.SITE, hour, old.version, version);
                assertThat(changed).as("the writes to hour %d since it was read", hour).isNotNull().isNotEmpty();
                List<VisitRecord> now = new ArrayList<>();
                for (Map.Entry<Bytes, byte[]> c : changed.entrySet()) {
                    // the ring holds each visit as it stands in the visits store (or its deletion)
                    assertThat(c.getValue()).isEqualTo(h.stores().visits().get(c.getKey()));
                    if (c.getValue() != null) {
                        now.add(VisitRecord.decode(c.getValue(), StoreKeys.visitStart(c.getKey())));
                    }
                }
                VisitTable brought = old.patched(changed.keySet(), now, ids, version);
                VisitTable read = VisitTable.build(SegmentScan.visitsStarting(h.stores(), TestEvents.SITE, hour), old.codes, ids, hour, old.epoch, version);
                assertThat(rows(brought)).as("hour %d", hour).isEqualTo(rows(read));
                e.setValue(brought);
                patched++;
            }
            // ... and the queries that bring them up to date count what the scan counts
            for (List<String> dims : List.<List<String>>of(List.of(), List.of("visit:entry_page"), List.of("time:day", "event:page"))) {
                for (List<ScanRequest.FilterSpec> filters : List.of(FILTERS.get(0), FILTERS.get(10), FILTERS.get(12))) {
                    assertSame(new ScanRequest(TestEvents.SITE, "UTC", GOALS, from, to, dims, filters, true), summaries);
                }
            }
        }
        assertThat(patched).as("hours brought up to date").isGreaterThan(50);
    }

    @Test
    void aTableBroughtUpToDateForLongerThanTheRereadTimeIsReadWholeAgain() {
        ZoneId utc = ZoneId.of("UTC");
        long from = FIRST.atStartOfDay(utc).toInstant().toEpochMilli();
        long to = FIRST.plusDays(DAYS).atStartOfDay(utc).toInstant().toEpochMilli();
        ScanRequest request = new ScanRequest(TestEvents.SITE, "UTC", GOALS, from, to, List.of("event:page"), List.of(f("contains", "event:page", "/")), true);
        Summaries summaries = new Summaries(64L << 20);
        assertSame(request, summaries);
        long t = LocalDateTime.parse("2024-03-27T12:00").atZone(utc).toInstant().toEpochMilli();
        long hour = t / StoreKeys.HOUR_MS;
        VisitTable kept = summaries.table(0, TestEvents.SITE, hour);
        assertThat(kept).isNotNull();

        // Given a table last read whole longer ago than the reread time, and a visit written since
        kept.readAt = System.nanoTime() - TableScan.REREAD_NANOS - 1;
        h.send(TestEvents.pageview("newcomer", t, "/pricing"));

        // Then the next query reads its hour whole again, and counts what the scan counts
        assertSame(request, summaries);
        VisitTable now = summaries.table(0, TestEvents.SITE, hour);
        assertThat(now.version).isNotEqualTo(kept.version);
        assertThat(System.nanoTime() - now.readAt).as("read whole just now").isLessThan(TableScan.REREAD_NANOS / 2);

        // ... and a table read whole recently is brought up to date instead, keeping its time
        long readAt = now.readAt;
        h.send(TestEvents.pageview("newcomer", t + 60_000, "/docs"));
        assertSame(request, summaries);
        assertThat(summaries.table(0, TestEvents.SITE, hour).readAt).isEqualTo(readAt);
    }

    @Test
    void aKeptHourIsReadAgainWhenTheWritesSinceItAreNoLongerHeld() {
        java.util.TreeMap<Bytes, byte[]> ring = new java.util.TreeMap<>();
        PartitionStores stores = new PartitionStores(0, null, null, null, null, new MapStore(ring), null);
        Bytes mine = StoreKeys.visit("s", 7 * StoreKeys.HOUR_MS + 5, 42);
        Bytes otherHour = StoreKeys.visit("s", 8 * StoreKeys.HOUR_MS, 42);
        Bytes otherSite = StoreKeys.visit("s2", 7 * StoreKeys.HOUR_MS, 42);
        // versions around the ring's end: their slots wrap around to 0
        long base = 5L * StoreKeys.CHANGE_SLOTS - 2;
        byte[] first = {1, 2};
        byte[] second = {3};
        ring.put(StoreKeys.changeSlot(base + 1), StoreKeys.change(base + 1, mine, first));
        ring.put(StoreKeys.changeSlot(base + 2), StoreKeys.change(base + 2, otherHour, first));
        ring.put(StoreKeys.changeSlot(base + 3), StoreKeys.change(base + 3, otherSite, null));
        ring.put(StoreKeys.changeSlot(base + 4), StoreKeys.change(base + 4, mine, second));
        assertThat(StoreKeys.slotOf(StoreKeys.changeSlot(base + 2))).isZero();

        Map<Bytes, byte[]> changed = stores.changedSince("s", 7, base, base + 4);
        assertThat(changed).containsOnlyKeys(mine);
        assertThat(changed.get(mine)).as("the visit as last written").isEqualTo(second);
        assertThat(stores.changedSince("s", 7, base, base + 1).get(mine)).isEqualTo(first);
        assertThat(stores.changedSince("s", 8, base + 1, base + 2)).containsOnlyKeys(otherHour);
        assertThat(stores.changedSince("s2", 7, base + 2, base + 3)).containsEntry(otherSite, null);
        assertThat(stores.changedSince("s", 7, base + 4, base + 4)).isEmpty();
        // a write not yet in the ring, or written over by a later version
        assertThat(stores.changedSince("s", 7, base, base + 5)).isNull();
        ring.put(StoreKeys.changeSlot(base + 2), StoreKeys.change(base + 2 + StoreKeys.CHANGE_SLOTS, mine, first));
        assertThat(stores.changedSince("s", 7, base, base + 4)).isNull();
        // more writes since than the ring holds
        assertThat(stores.changedSince("s", 7, base + 4, base + 5 + StoreKeys.CHANGE_SLOTS)).isNull();
        // a slot whose value reads as none (the in-memory store's iterator while the ring grows)
        ring.put(StoreKeys.changeSlot(base + 4), null);
        assertThat(stores.changedSince("s", 7, base + 3, base + 4)).isNull();
    }

    /** The rows of a table in (start, visitor) order, each with its events, in comparable form. */
    private static List<String> rows(VisitTable t) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < t.size; i++) {
            StringBuilder b = new StringBuilder().append(t.start[i]).append('/').append(t.visitor[i]).append(' ').append(t.duration[i])
                    .append(' ').append(t.first[i]).append(' ').append(t.facts[i]).append(' ').append(t.entry[i]).append(' ')
                    .append(t.exit[i]).append(' ').append(t.pageviews[i]).append(' ').append(t.bounce[i]).append(':');
            for (int e = t.eventFrom[i]; e < t.eventFrom[i + 1]; e++) {
                b.append(' ').append(t.ts[e]).append(',').append(t.page[e]).append(',').append(t.detail[e]).append(',').append(t.type[e]);
            }
            out.add(b.toString());
        }
        out.sort(java.util.Comparator.naturalOrder());
        return out;
    }

    /** A read-only store over a sorted map, for the ring's reader. */
    private record MapStore(java.util.NavigableMap<Bytes, byte[]> map) implements org.apache.kafka.streams.state.ReadOnlyKeyValueStore<Bytes, byte[]> {
        @Override
        public byte[] get(Bytes key) {
            return map.get(key);
        }

        @Override
        public org.apache.kafka.streams.state.KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
            java.util.Iterator<Map.Entry<Bytes, byte[]>> it = map.subMap(from, true, to, true).entrySet().iterator();
            return new org.apache.kafka.streams.state.KeyValueIterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public org.apache.kafka.streams.KeyValue<Bytes, byte[]> next() {
                    Map.Entry<Bytes, byte[]> e = it.next();
                    return org.apache.kafka.streams.KeyValue.pair(e.getKey(), e.getValue());
                }

                @Override
                public void close() {
                }

                @Override
                public Bytes peekNextKey() {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public org.apache.kafka.streams.state.KeyValueIterator<Bytes, byte[]> all() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long approximateNumEntries() {
            return map.size();
        }
    }

    @Test
    void goalAndTraitDimensionsMinutesAndSplitHoursTakeTheScan() {
        Summaries s = new Summaries(1 << 20);
        long from = FIRST.atStartOfDay(ZoneId.of("UTC")).toInstant().toEpochMilli();
        long to = from + 86_400_000L;
        List<ScanRequest.FilterSpec> page = List.of(f("is", "event:page", "/"));
        assertThat(TableScan.plan(new ScanRequest("example", "UTC", GOALS, from, to, List.of("event:goal"), page, false), s)).isNull();
        assertThat(TableScan.plan(new ScanRequest("example", "UTC", GOALS, from, to, List.of("visitor:trait:plan"), page, false), s)).isNull();
        assertThat(TableScan.plan(new ScanRequest("example", "UTC", GOALS, from, to, List.of("time:minute"), page, false), s)).isNull();
        // a day in Kolkata starts on a half hour: UTC hours are split between two of its days
        assertThat(TableScan.plan(new ScanRequest("example", "Asia/Kolkata", GOALS, from, to, List.of("time:day"), page, false), s)).isNull();
        // ... which matters only with a time dimension
        assertThat(TableScan.plan(new ScanRequest("example", "Asia/Kolkata", GOALS, from, to, List.of("event:page"), page, false), s)).isNotNull();
        assertThat(TableScan.plan(new ScanRequest("example", "UTC", GOALS, from - 93 * 86_400_000L, to, List.of(), page, false), s)).isNull();
    }

    /** Asserts the table path counts what the scan counts; returns the visitors counted. */
    private long assertSame(ScanRequest request, Summaries summaries) {
        TableScan fast = TableScan.plan(request, summaries);
        assertThat(fast).as("table path for %s", request).isNotNull();
        Partial tabled = fast.scan(List.of(h.stores()), List.of(0));
        assertThat(tabled).as("table path's answer for %s", request).isNotNull();
        Partial scanned = h.scan(request);
        assertThat(MetricsHarness.rows(tabled)).as("rows of %s", request).isEqualTo(MetricsHarness.rows(scanned));
        assertThat(tabled.total()).as("total of %s", request).isEqualTo(scanned.total());
        return scanned.total()[Partial.VISITORS];
    }


}
