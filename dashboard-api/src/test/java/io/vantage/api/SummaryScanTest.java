package io.vantage.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.model.Event;
import io.vantage.model.EventType;
import io.vantage.testing.TestEvents;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pre-aggregated path ({@link SummaryScan}) against the scan of every visit ({@link SegmentScan}),
 * over random visits of the production topology: returning visitors, visits crossing hours and
 * midnight, properties, goals, a daylight-saving change. Every query shape the fast path takes
 * must give the same counts, row by row, as the scan; the shapes it does not take are left to the scan.
 */
class SummaryScanTest {
    private static final LocalDate FIRST = LocalDate.parse("2024-03-25");
    private static final int DAYS = 10;
    private static final List<String> GOALS = List.of("signup");
    private static final List<List<String>> SHAPES = List.of(
            List.of(), List.of("time:hour"), List.of("time:day"), List.of("time:week"), List.of("time:month"), List.of("time:hour_of_day"),
            List.of("event:page"), List.of("visit:source"), List.of("visit:entry_page"), List.of("visit:exit_page"),
            List.of("event:props:plan"), List.of("event:name"), List.of("event:type"), List.of("visit:referrer_medium"),
            List.of("visit:country", "visit:browser"), List.of("event:page", "visit:source"), List.of("time:day", "event:page"),
            List.of("visit:source", "time:day"), List.of("time:hour", "visit:entry_page"),
            // hundreds of rows: new visitors are counted in VisitorBits
            List.of("time:hour", "event:page"));
    private static final List<List<ScanRequest.FilterSpec>> VISIT_FILTERS = List.of(
            List.of(new ScanRequest.FilterSpec("is", "visit:source", List.of("Google"), true)),
            List.of(new ScanRequest.FilterSpec("is_not", "visit:source", List.of("Google", "Hacker News"), true)),
            List.of(new ScanRequest.FilterSpec("contains", "visit:entry_page", List.of("/BLOG"), false)),
            // no visit has a UTM source: "is_not" keeps every visit, "is" none
            List.of(new ScanRequest.FilterSpec("is_not", "visit:utm_source", List.of("x"), true)),
            // ... and a negated filter whose text a "(none)" label would contain keeps every visit too
            List.of(new ScanRequest.FilterSpec("contains_not", "visit:utm_source", List.of("none"), false)),
            List.of(new ScanRequest.FilterSpec("matches", "visit:exit_page", List.of("^/(docs|about)$"), true),
                    new ScanRequest.FilterSpec("is_not", "visit:referrer_medium", List.of("social"), true)));
    private MetricsHarness h;
    private final Random random = new Random(20261207);

    @BeforeEach
    void traffic() {
        h = new MetricsHarness(Instant.parse("2024-04-10T00:00:00Z")).site(TestEvents.SITE, "Europe/Berlin", "signup");
        h.send(RandomTraffic.visits(random, FIRST, DAYS, 120).toArray(Event.Builder[]::new));
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void everyShapeOverDaysHoursAndZonesCountsWhatTheScanCounts() {
        int compared = 0;
        for (String zone : List.of("UTC", "Europe/Berlin", "America/New_York")) {
            ZoneId z = ZoneId.of(zone);
            long whole = FIRST.atStartOfDay(z).toInstant().toEpochMilli();
            long[][] ranges = {
                    {whole, FIRST.plusDays(DAYS + 1).atStartOfDay(z).toInstant().toEpochMilli()},
                    // the day the clocks change in Berlin (2024-03-31, 23 hours there)
                    {LocalDate.parse("2024-03-31").atStartOfDay(z).toInstant().toEpochMilli(),
                            LocalDate.parse("2024-04-01").atStartOfDay(z).toInstant().toEpochMilli()},
                    // whole days and hours at both ends
                    {LocalDateTime.parse("2024-03-27T09:00").atZone(z).toInstant().toEpochMilli(),
                            LocalDateTime.parse("2024-03-30T17:00").atZone(z).toInstant().toEpochMilli()},
                    // a few hours inside one day
                    {LocalDateTime.parse("2024-03-28T10:00").atZone(z).toInstant().toEpochMilli(),
                            LocalDateTime.parse("2024-03-28T15:00").atZone(z).toInstant().toEpochMilli()}};
            for (long[] range : ranges) {
                for (List<String> dims : SHAPES) {
                    ScanRequest request = new ScanRequest(TestEvents.SITE, zone, GOALS, range[0], range[1], dims, List.of(), true);
                    assertThat(assertSame(request)).as("a query with data: %s", request).isPositive();
                    compared++;
                }
            }
        }
        assertThat(compared).isEqualTo(3 * 4 * SHAPES.size());
    }

    @Test
    void visitFiltersSelectTheCellsOfTheirValuesAsTheScanSelectsVisits() {
        int compared = 0;
        int withVisitors = 0;
        ZoneId z = ZoneId.of("Europe/Berlin");
        long from = LocalDateTime.parse("2024-03-26T06:00").atZone(z).toInstant().toEpochMilli();
        long to = FIRST.plusDays(DAYS).atStartOfDay(z).toInstant().toEpochMilli();
        for (List<ScanRequest.FilterSpec> filters : VISIT_FILTERS) {
            for (List<String> dims : SHAPES) {
                withVisitors += assertSame(new ScanRequest(TestEvents.SITE, "Europe/Berlin", GOALS, from, to, dims, filters, true)) > 0 ? 1 : 0;
                compared++;
            }
        }
        assertThat(compared).isEqualTo(VISIT_FILTERS.size() * SHAPES.size());
        assertThat(withVisitors).as("every filter selects some visits").isEqualTo(compared);
    }

    @Test
    void newEventsInADayAlreadySummarizedAreCountedAtTheNextQuery() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        long from = FIRST.atStartOfDay(berlin).toInstant().toEpochMilli();
        long to = FIRST.plusDays(DAYS).atStartOfDay(berlin).toInstant().toEpochMilli();
        ScanRequest daily = new ScanRequest(TestEvents.SITE, "Europe/Berlin", GOALS, from, to, List.of("time:day", "event:page"), List.of(), true);
        // without a time dimension the first seven days are read as one week
        ScanRequest pages = new ScanRequest(TestEvents.SITE, "Europe/Berlin", GOALS, from, to, List.of("event:page"), List.of(), true);
        Summaries summaries = new Summaries(64L << 20);
        long[] before = SummaryScan.plan(daily, summaries).scan(List.of(h.stores()), List.of(0)).total();
        long[] beforeByWeek = SummaryScan.plan(pages, summaries).scan(List.of(h.stores()), List.of(0)).total();
        assertThat(beforeByWeek).isEqualTo(before);

        // Given a new visitor and a returning one on a day the cache holds, then a visit of a returning visitor extended
        long t = LocalDateTime.parse("2024-03-27T12:00").atZone(berlin).toInstant().toEpochMilli();
        h.send(TestEvents.pageview("newcomer", t, "/new"), TestEvents.pageview("v1", t + 1_000, "/pricing"),
                TestEvents.event(EventType.CUSTOM, "v1", t + 2_000).name("signup"));

        Partial after = SummaryScan.plan(daily, summaries).scan(List.of(h.stores()), List.of(0));
        assertThat(after.total()[Partial.EVENTS]).isEqualTo(before[Partial.EVENTS] + 3);
        assertThat(MetricsHarness.rows(after)).isEqualTo(MetricsHarness.rows(h.scan(daily)));
        assertThat(after.total()).isEqualTo(h.scan(daily).total());
        Partial afterByWeek = SummaryScan.plan(pages, summaries).scan(List.of(h.stores()), List.of(0));
        assertThat(afterByWeek.total()[Partial.EVENTS]).isEqualTo(before[Partial.EVENTS] + 3);
        assertThat(MetricsHarness.rows(afterByWeek)).isEqualTo(MetricsHarness.rows(h.scan(pages)));
    }

    @Test
    void withOnlyTheFirstRowsShownThoseRowsAreExactAndTheOthersKeepTheirCountsAndAVisitorBound() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        long from = FIRST.atStartOfDay(berlin).toInstant().toEpochMilli();
        long to = FIRST.plusDays(DAYS).atStartOfDay(berlin).toInstant().toEpochMilli();
        int bounded = 0;
        for (List<String> dims : List.<List<String>>of(List.of("event:page"), List.of("event:page", "visit:source"), List.of("visit:entry_page"),
                List.of("visit:country", "visit:browser"), List.of("event:props:plan"))) {
            for (List<ScanRequest.FilterSpec> filters : List.of(List.<ScanRequest.FilterSpec>of(), VISIT_FILTERS.get(1))) {
                ScanRequest request = new ScanRequest(TestEvents.SITE, "Europe/Berlin", GOALS, from, to, dims, filters, false);
                java.util.Map<List<String>, List<Long>> exact = MetricsHarness.rows(h.scan(request));
                for (int count : new int[] {Partial.VISITORS, Partial.PAGEVIEWS, Partial.VISITS, Partial.EVENTS}) {
                    for (int rows : new int[] {1, 2, 3, 5}) {
                        Partial topped = SummaryScan.plan(request.withTop(new ScanRequest.Top(count, rows)), new Summaries(64L << 20))
                                .scan(List.of(h.stores()), List.of(0));
                        java.util.Map<List<String>, List<Long>> got = MetricsHarness.rows(topped);
                        String what = dims + " " + filters + " first " + rows + " by count " + count;
                        // every row is there (the answer's total_rows), with every count but distinct visitors exact ...
                        assertThat(got.keySet()).as(what).isEqualTo(exact.keySet());
                        assertThat(withoutNewVisitors(topped.total())).as(what).isEqualTo(withoutNewVisitors(h.scan(request).total()));
                        // ... and the first rows by the count (ties broken by key, as the answer does) exact
                        List<List<String>> order = new java.util.ArrayList<>(exact.keySet());
                        order.sort(java.util.Comparator.comparing((List<String> k) -> -exact.get(k).get(count)).thenComparing(String::valueOf));
                        for (int i = 0; i < order.size(); i++) {
                            List<Long> e = exact.get(order.get(i));
                            List<Long> g = got.get(order.get(i));
                            if (i < rows) {
                                // (a query that shows only its first rows asks for no new visitors)
                                assertThat(withoutNewVisitors(g)).as("shown row %s of %s", order.get(i), what).isEqualTo(withoutNewVisitors(e));
                                continue;
                            }
                            for (int c = 0; c < Partial.COUNTS; c++) {
                                if (c != Partial.VISITORS && c != Partial.NEW_VISITORS && c != Partial.REPEATERS) {
                                    assertThat(g.get(c)).as("count %d of row %s of %s", c, order.get(i), what).isEqualTo(e.get(c));
                                }
                            }
                            assertThat(g.get(Partial.VISITORS)).as(what).isBetween(Math.min(1, e.get(Partial.VISITORS)), e.get(Partial.VISITORS));
                            bounded += withoutNewVisitors(g).equals(withoutNewVisitors(e)) ? 0 : 1;
                        }
                    }
                }
            }
        }
        assertThat(bounded).as("rows left with a bound of their visitors").isPositive();
    }

    private static List<Long> withoutNewVisitors(List<Long> counts) {
        List<Long> out = new java.util.ArrayList<>(counts);
        out.set(Partial.NEW_VISITORS, 0L);
        return out;
    }

    private static List<Long> withoutNewVisitors(long[] counts) {
        return withoutNewVisitors(java.util.Arrays.stream(counts).boxed().toList());
    }

    @Test
    void everyPageOfABreakdownOrderedByACountIsThePageOfTheWholeBreakdown() {
        for (String order : List.of("", ",\"order_by\":[[\"visitors\",\"desc\"]]", ",\"order_by\":[[\"pageviews\",\"desc\"],[\"visitors\",\"asc\"]]")) {
            String base = "{\"site_id\":\"" + TestEvents.SITE + "\",\"metrics\":[\"visitors\",\"pageviews\",\"bounce_rate\",\"percentage\"],"
                    + "\"date_range\":[\"" + FIRST + "\",\"" + FIRST.plusDays(DAYS - 1) + "\"],\"dimensions\":[\"event:page\",\"visit:source\"]" + order;
            com.fasterxml.jackson.databind.JsonNode all = h.query(base + ",\"pagination\":{\"limit\":1000}}");
            int rows = all.path("results").size();
            assertThat(rows).isGreaterThan(10);
            for (int offset = 0; offset < rows; offset += 3) {
                com.fasterxml.jackson.databind.JsonNode page = h.query(base + ",\"pagination\":{\"limit\":3,\"offset\":" + offset + "}}");
                List<com.fasterxml.jackson.databind.JsonNode> expected = new java.util.ArrayList<>();
                for (int i = offset; i < Math.min(rows, offset + 3); i++) {
                    expected.add(all.path("results").get(i));
                }
                assertThat(page.path("results")).as("%s at offset %d", order, offset).containsExactlyElementsOf(expected);
                assertThat(page.path("meta").path("total_rows").asInt()).isEqualTo(rows);
            }
        }
    }

    @Test
    void eventAndTraitFiltersGoalsTraitsMinutesAndHalfHourZonesTakeTheScan() {
        Summaries s = new Summaries(1 << 20);
        long from = FIRST.atStartOfDay(ZoneId.of("UTC")).toInstant().toEpochMilli();
        long to = from + 86_400_000L;
        List<ScanRequest.FilterSpec> none = List.of();
        assertThat(SummaryScan.plan(new ScanRequest("example", "UTC", GOALS, from, to, List.of(),
                List.of(new ScanRequest.FilterSpec("is", "event:page", List.of("/"), true)), false), s)).isNull();
        assertThat(SummaryScan.plan(new ScanRequest("example", "UTC", GOALS, from, to, List.of(),
                List.of(new ScanRequest.FilterSpec("is", "visitor:trait:plan", List.of("pro"), true)), false), s)).isNull();
        assertThat(SummaryScan.plan(new ScanRequest("example", "UTC", GOALS, from, to, List.of("event:goal"), none, false), s)).isNull();
        assertThat(SummaryScan.plan(new ScanRequest("example", "UTC", GOALS, from, to, List.of("visitor:trait:plan"), none, false), s)).isNull();
        assertThat(SummaryScan.plan(new ScanRequest("example", "UTC", GOALS, from, to, List.of("time:minute"), none, false), s)).isNull();
        long kolkata = FIRST.atStartOfDay(ZoneId.of("Asia/Kolkata")).toInstant().toEpochMilli();
        assertThat(SummaryScan.plan(new ScanRequest("example", "Asia/Kolkata", GOALS, kolkata, kolkata + 86_400_000L, List.of(), none, false), s))
                .isNull();
        // an hour-aligned range in that zone, bucketed by day, has hours split between two days
        assertThat(SummaryScan.plan(new ScanRequest("example", "Asia/Kolkata", GOALS, from, to, List.of("time:day"), none, false), s)).isNull();
        assertThat(SummaryScan.plan(new ScanRequest("example", "UTC", GOALS, from + 60_000, to, List.of(), none, false), s)).isNull();
    }

    /** Asserts the fast path counts what the scan counts; returns the visitors counted. */
    private long assertSame(ScanRequest request) {
        SummaryScan fast = SummaryScan.plan(request, new Summaries(64L << 20));
        assertThat(fast).as("fast path for %s", request).isNotNull();
        Partial summarized = fast.scan(List.of(h.stores()), List.of(0));
        Partial scanned = h.scan(request);
        assertThat(MetricsHarness.rows(summarized)).as("rows of %s", request).isEqualTo(MetricsHarness.rows(scanned));
        assertThat(summarized.total()).as("total of %s", request).isEqualTo(scanned.total());
        return scanned.total()[Partial.VISITORS];
    }



    @Test
    void countsAUnionsSizeAsTheLibraryDoesForEveryKindOfContainer() {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            org.roaringbitmap.RoaringBitmap[] bitmaps = new org.roaringbitmap.RoaringBitmap[2 + random.nextInt(6)];
            for (int b = 0; b < bitmaps.length; b++) {
                org.roaringbitmap.RoaringBitmap bitmap = new org.roaringbitmap.RoaringBitmap();
                int keys = 1 + random.nextInt(3);
                for (int k = 0; k < keys; k++) {
                    int base = random.nextInt(4) << 16;
                    switch (random.nextInt(4)) {
                        case 0 -> random.ints(1 + random.nextInt(50), 0, 1 << 16).forEach(v -> bitmap.add(base + v)); // array
                        case 1 -> random.ints(6000 + random.nextInt(20000), 0, 1 << 16).forEach(v -> bitmap.add(base + v)); // bitmap
                        case 2 -> bitmap.add((long) base + random.nextInt(1000), (long) base + 1000 + random.nextInt(60000)); // run
                        default -> bitmap.add((long) base, (long) base + (1 << 16)); // a full container
                    }
                }
                bitmap.runOptimize();
                bitmaps[b] = bitmap;
            }
            assertThat(SummaryScan.unionCardinality(bitmaps)).as("round %d", round)
                    .isEqualTo(org.roaringbitmap.FastAggregation.or(bitmaps).getLongCardinality());
        }
    }
}
