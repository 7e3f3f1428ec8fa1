package io.vantage.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.vantage.model.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * {@code bin/vantage bench --query}: loads 30 days of synthetic traffic into a site, then times the
 * same queries over 1, 7 and 30 days. A period is answered from day rollups, so the 30-day query
 * should cost about what the 1-day one does; the figures are reported next to a {@code GET /health}
 * baseline of the same run. Also reports how fast the processor took the load in.
 */
final class QueryBench {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String url;
    private final String token;

    QueryBench(String url, String token) {
        this.url = url;
        this.token = token;
    }

    int run(int eventsPerDay, int iterations) throws Exception {
        String site = "bench-query-" + System.currentTimeMillis() % 100_000;
        send("POST", "/api/sites", "{\"id\":\"" + site + "\",\"domain\":\"bench.local\"}");
        LocalDate last = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        LocalDate first = last.minusDays(29);
        Random random = new Random(42);
        long started = System.nanoTime();
        int total = 0;
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            StringBuilder ndjson = new StringBuilder();
            long midnight = day.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
            for (int i = 0; i < eventsPerDay; i++) {
                int visitor = random.nextInt(eventsPerDay / 6 + 1);
                ndjson.append("{\"type\":\"").append(random.nextInt(5) == 0 ? "click" : "pageview")
                        .append("\",\"ts\":").append(midnight + random.nextInt(86_400_000))
                        .append(",\"visitor_id\":\"").append(day).append('-').append(visitor)
                        .append("\",\"url\":\"/page/").append(random.nextInt(40))
                        .append("\",\"referrer\":\"https://").append(new String[] {"www.google.com", "news.ycombinator.com", "t.co", "example.org"}[random.nextInt(4)])
                        .append("/\"}\n");
            }
            send("POST", "/api/import?site=" + site, ndjson.toString());
            total += eventsPerDay;
        }
        double importSeconds = (System.nanoTime() - started) / 1e9;
        while (!send("GET", "/api/status", null).path("caught_up").asBoolean()) {
            Thread.sleep(100);
        }
        double processedSeconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("loaded %,d events over 30 days: accepted at %,.0f events/s, counted at %,.0f events/s (ratio %.2f)%n",
                total, total / importSeconds, total / processedSeconds, importSeconds / processedSeconds);

        String metrics = "\"metrics\":[\"visitors\",\"visits\",\"pageviews\",\"bounce_rate\",\"visit_duration\"]";
        double[] base = time(() -> send("GET", "/health", null), iterations);
        System.out.printf("%-34s p50 %7.2f ms  p99 %7.2f ms%n", "baseline GET /health", base[0], base[1]);
        double[] oneDayTotals = null;
        double[] oneDayPages = null;
        for (int days : new int[] {1, 7, 30}) {
            String range = "\"date_range\":[\"" + last.minusDays(days - 1) + "\",\"" + last + "\"]";
            String totals = "{\"site_id\":\"" + site + "\"," + metrics + "," + range + "}";
            String pages = "{\"site_id\":\"" + site + "\",\"metrics\":[\"visitors\",\"pageviews\"],\"dimensions\":[\"event:page\"],"
                    + range + ",\"pagination\":{\"limit\":10}}";
            double[] t = time(() -> send("POST", "/api/v2/query", totals), iterations);
            double[] p = time(() -> send("POST", "/api/v2/query", pages), iterations);
            oneDayTotals = oneDayTotals == null ? t : oneDayTotals;
            oneDayPages = oneDayPages == null ? p : oneDayPages;
            System.out.printf("%2d-day totals                     p50 %7.2f ms  p99 %7.2f ms  (p50 x%.2f of 1 day, x%.1f of baseline)%n",
                    days, t[0], t[1], t[0] / oneDayTotals[0], t[0] / base[0]);
            System.out.printf("%2d-day top pages                  p50 %7.2f ms  p99 %7.2f ms  (p50 x%.2f of 1 day, x%.1f of baseline)%n",
                    days, p[0], p[1], p[0] / oneDayPages[0], p[0] / base[0]);
        }
        return 0;
    }

    interface Call {
        void run() throws Exception;
    }

    private static double[] time(Call call, int iterations) throws Exception {
        for (int i = 0; i < Math.max(20, iterations / 5); i++) {
            call.run();
        }
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return new double[] {ms[iterations / 2], ms[Math.min(iterations - 1, (int) (iterations * 0.99))]};
    }

    private JsonNode send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300 && r.statusCode() != 409) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return Json.MAPPER.readTree(r.body().isEmpty() ? "{}" : r.body());
    }

    static List<String> usage() {
        return new ArrayList<>(List.of("bin/vantage bench --query [--url URL] [--events-per-day 3000] [--iterations 200]"));
    }
}
