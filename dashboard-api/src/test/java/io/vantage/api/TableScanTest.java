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
        long to = FIRST.plusDays(DAYS).atStartOfDay(berlin).toInstant().toEpochMilli();
        ScanRequest request = new ScanRequest(TestEvents.SITE, "Europe/Berlin", GOALS, from, to, List.of("visit:source"),
                List.of(f("contains", "event:page", "/pri")), true);
        Summaries summaries = new Summaries(64L << 20);
        long[] before = TableScan.plan(request, summaries).scan(List.of(h.stores()), List.of(0)).total();

        // When a new visitor and a returning one see the page in an hour already read
        long t = LocalDateTime.parse("2024-03-27T12:00").atZone(berlin).toInstant().toEpochMilli();
        h.send(TestEvents.pageview("newcomer", t, "/pricing"), TestEvents.pageview("v1", t + 1_000, "/pricing"),
                TestEvents.event(EventType.CUSTOM, "v1", t + 2_000).name("signup"));

        // Then the next query counts them, as the scan does
        Partial after = TableScan.plan(request, summaries).scan(List.of(h.stores()), List.of(0));
        assertThat(after.total()[Partial.EVENTS]).isEqualTo(before[Partial.EVENTS] + 2);
        assertThat(MetricsHarness.rows(after)).isEqualTo(MetricsHarness.rows(h.scan(request)));
        assertThat(after.total()).isEqualTo(h.scan(request).total());
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
