package io.vantage.bench;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Section 5: query latency over 1-, 7- and 30-day ranges once the real logs (the NASA day, copied
 * over 35 days with shifted visitor ids) are counted: totals, time series, top pages, top sources
 * and segments, each against {@code GET /health} on the same server and the 30-day figure against
 * the 1-day one; then the RSS of what served them. They run on local mode ({@link LocalMode}), the
 * one process whose footprint the engine's target bounds.
 */
final class QueryBench {
    private static final int WINDOW_DAYS = 35;
    private final BenchMain.Options o;
    private final BenchTable table;
    private final Datasets data;

    QueryBench(BenchMain.Options o, BenchTable table, Datasets data) {
        this.o = o;
        this.table = table;
        this.data = data;
    }

    /** Loads up to the target event count (bounded by time), then times the queries; returns the events loaded. */
    long run(LocalMode local) throws Exception {
        Api processor = local.api();
        List<Datasets.NasaRow> rows = data.nasa();
        LocalDate last = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        long firstDay = last.minusDays(WINDOW_DAYS - 1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        long loaded = 0;
        long loadStart = System.nanoTime();
        long loadDeadline = loadStart + Duration.ofSeconds(o.queryLoadSeconds()).toNanos();
        boolean caughtUp = true;
        try (Loader loader = new Loader(local.bootstrap())) {
            loader.site("q");
            int round = 0;
            while (loaded < o.queryEvents() && System.nanoTime() < loadDeadline) {
                // One round: the NASA day on each of the 35 days, new visitor ids for the non-returning hosts.
                for (List<String> day : Datasets.nasaReplay(rows, WINDOW_DAYS, firstDay, false, "r" + round + "d")) {
                    loaded += loader.load("q", day);
                    if (loaded >= o.queryEvents()) {
                        break;
                    }
                }
                round++;
                caughtUp = processor.awaitCaughtUp(Duration.ofNanos(Math.max(1, loadDeadline - System.nanoTime())));
            }
        }
        if (!caughtUp) {
            caughtUp = processor.awaitCaughtUp(Duration.ofSeconds(o.quick() ? 30 : 300));
        }
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        table.note(String.format("queries: %,d events loaded (target %,d) and %s after %.0f s (%,.0f events/s counted); %d iterations"
                        + " per query after %d warm-up calls", loaded, o.queryEvents(), caughtUp ? "counted" : "NOT yet all counted",
                loadSeconds, loaded / loadSeconds, o.iterations(), Math.max(10, o.iterations() / 5)));

        Histogram health = time(processor, "GET", "/health", null);
        double healthP50 = health.getValueAtPercentile(50) / 1000.0;
        double healthP99 = health.getValueAtPercentile(99) / 1000.0;
        table.latency("queries", "GET /health (the ceiling), p99", healthP99, "p50", healthP50, 0);
        Map<String, String> shapes = new LinkedHashMap<>();
        String m = "\"metrics\":[\"visitors\",\"visits\",\"pageviews\",\"bounce_rate\",\"visit_duration\"]";
        shapes.put("totals", "{" + m + "}");
        shapes.put("time series", "{\"metrics\":[\"visitors\",\"pageviews\"],\"dimensions\":[\"%TIME%\"]}");
        shapes.put("top pages", "{\"metrics\":[\"visitors\",\"pageviews\"],\"dimensions\":[\"event:page\"],\"pagination\":{\"limit\":10}}");
        shapes.put("top sources", "{\"metrics\":[\"visitors\",\"visits\"],\"dimensions\":[\"visit:source\"],\"pagination\":{\"limit\":10}}");
        shapes.put("segment: visit filter x event dimension", "{\"metrics\":[\"visitors\",\"pageviews\"],\"dimensions\":[\"event:page\"],"
                + "\"filters\":[[\"is\",\"visit:source\",[\"Direct / None\"]]],\"pagination\":{\"limit\":10}}");
        shapes.put("segment: event filter x visit dimension", "{\"metrics\":[\"visitors\",\"visits\"],\"dimensions\":[\"visit:entry_page\"],"
                + "\"filters\":[[\"contains\",\"event:page\",[\"/shuttle\"]]],\"pagination\":{\"limit\":10}}");
        shapes.put("segment: two dimensions", "{\"metrics\":[\"visitors\"],\"dimensions\":[\"visit:country\",\"visit:browser\"],"
                + "\"pagination\":{\"limit\":10}}");
        shapes.put("segment: trait filter", "{\"metrics\":[\"visitors\",\"pageviews\"],\"dimensions\":[\"event:page\"],"
                + "\"filters\":[[\"is\",\"visitor:trait:plan\",[\"pro\"]]],\"pagination\":{\"limit\":10}}");
        for (Map.Entry<String, String> shape : shapes.entrySet()) {
            boolean segment = shape.getKey().startsWith("segment");
            double oneDayP99 = Double.NaN;
            for (int days : new int[] {1, 7, 30}) {
                String range = "\"site_id\":\"q\",\"date_range\":[\"" + last.minusDays(days - 1) + "\",\"" + last + "\"],";
                String body = "{" + range + shape.getValue().substring(1).replace("%TIME%", days == 1 ? "time:hour" : "time:day");
                Api.Answer probe = processor.call("POST", "/api/v2/query", body);
                String figure = days + "-day " + shape.getKey() + ", p99";
                if (probe.status() != 200) {
                    table.missing("queries", figure, "answered " + probe.status() + ": " + probe.json().path("message").asText());
                    continue;
                }
                Histogram h = time(processor, "POST", "/api/v2/query", body);
                double p50 = h.getValueAtPercentile(50) / 1000.0;
                double p99 = h.getValueAtPercentile(99) / 1000.0;
                if (!segment) {
                    table.latencyWithin("queries", figure, p99, "health p99", healthP99, 20);
                } else if (days == 30) {
                    table.latencyWithin("queries", figure, p99, "health p99", healthP99, 250);
                } else {
                    table.latency("queries", figure, p99, "health p99", healthP99, 0);
                }
                table.latency("queries", days + "-day " + shape.getKey() + ", p50", p50, "health p50", healthP50, 0);
                if (days == 1) {
                    oneDayP99 = p99;
                } else if (days == 30 && !segment) {
                    table.latency("queries", "30-day vs 1-day " + shape.getKey() + ", p99", p99, "1-day p99", oneDayP99, 2.0);
                }
            }
        }
        // The footprint of what served these queries: local mode, one process with the broker, the collector, the processor and the API.
        long rss = local.child().rssBytes();
        table.size("queries", String.format("RSS of local mode (broker, collector, processor, API) after %,d events and the queries", loaded),
                rss, "B", "target", 1.5 * (1L << 30), 1.0);
        long heap = local.child().heapUsedAfterGc();
        table.note(String.format("queries: local mode's heap after a full GC %,d MB of RSS %,d MB; JVM options %s", heap >> 20, rss >> 20,
                System.getenv().getOrDefault("VANTAGE_JAVA_OPTS", Child.DEFAULT_JAVA_OPTS)));
        return loaded;
    }

    private Histogram time(Api api, String method, String path, String body) throws Exception {
        Histogram h = new Histogram(60_000_000L, 3);
        for (int i = 0; i < Math.max(10, o.iterations() / 5); i++) {
            api.call(method, path, body);
        }
        for (int i = 0; i < o.iterations(); i++) {
            long t0 = System.nanoTime();
            Api.Answer a = api.call(method, path, body);
            h.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
            if (a.status() != 200) {
                throw new IllegalStateException(method + " " + path + " answered " + a.status() + ": " + a.body());
            }
        }
        return h;
    }
}
