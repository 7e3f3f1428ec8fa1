package io.vantage.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * {@code bin/vantage bench}: a bounded loop of {@code POST /collect} against a running instance,
 * reported next to a baseline measured in the same run ({@code GET /health} on the same server),
 * because absolute figures on shared machines are noise.
 */
final class BenchCommand {
    private BenchCommand() {
    }

    static int run(String[] argv, Map<String, String> env) throws Exception {
        CliArgs args = CliArgs.parse(argv);
        if (args.options().containsKey("help")) {
            System.out.println("usage: bin/vantage bench [--url http://127.0.0.1:8080] [--site bench] [--seconds 10] [--warmup 5] [--clients 8]");
            System.out.println("  measures /collect (one event per request, acks=all) against GET /health on the same server");
            System.out.println("usage: " + QueryBench.usage().get(0));
            System.out.println("  loads 30 days of traffic, then times 1-, 7- and 30-day queries against GET /health");
            return 0;
        }
        String url = args.get("url", "http://127.0.0.1:" + env.getOrDefault("VANTAGE_PORT", "8080"));
        if (args.options().containsKey("query")) {
            return new QueryBench(url, args.token(env)).run(Integer.parseInt(args.get("events-per-day", "3000")),
                    Integer.parseInt(args.get("iterations", "200")));
        }
        String site = args.get("site", "bench");
        int seconds = Integer.parseInt(args.get("seconds", "10"));
        int warmup = Integer.parseInt(args.get("warmup", "5"));
        int clients = Integer.parseInt(args.get("clients", "8"));
        HttpClient http = HttpClient.newHttpClient();
        String token = args.token(env);
        http.send(HttpRequest.newBuilder(URI.create(url + "/api/sites")).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + site + "\",\"domain\":\"bench.local\"}")).build(),
                HttpResponse.BodyHandlers.discarding());

        Supplier<HttpRequest> health = () -> HttpRequest.newBuilder(URI.create(url + "/health")).GET().build();
        Supplier<HttpRequest> collect = () -> HttpRequest.newBuilder(URI.create(url + "/collect"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"site\":\"" + site + "\",\"type\":\"pageview\",\"url\":\"https://bench.local/p\","
                        + "\"visitor_id\":\"v" + (System.nanoTime() % 10_000) + "\",\"event_id\":\"" + UUID.randomUUID() + "\"}")).build();
        loop(http, collect, clients, warmup);
        Result base = loop(http, health, clients, seconds);
        Result col = loop(http, collect, clients, seconds);
        System.out.printf("baseline GET /health   %,10.0f req/s  p50 %6.2f ms  p99 %6.2f ms%n", base.rate, base.p50, base.p99);
        System.out.printf("POST /collect (202)    %,10.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d%n", col.rate, col.p50, col.p99, col.errors);
        System.out.printf("ratio collect/baseline  throughput %.2f  p99 latency %.2f%n", col.rate / base.rate, col.p99 / base.p99);
        return col.errors == 0 ? 0 : 1;
    }

    record Result(double rate, double p50, double p99, long errors) {
    }

    private static Result loop(HttpClient http, Supplier<HttpRequest> request, int clients, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<long[]>> parts = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            parts.add(pool.submit(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                long errors = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    int status = http.send(request.get(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status >= 300) {
                        errors++;
                    }
                    if (n == lat.length) {
                        lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = System.nanoTime() - t0;
                }
                long[] out = Arrays.copyOf(lat, n + 1);
                out[n] = errors;
                return out;
            }));
        }
        List<Long> all = new ArrayList<>();
        long errors = 0;
        for (Future<long[]> f : parts) {
            long[] r = f.get();
            for (int i = 0; i < r.length - 1; i++) {
                all.add(r[i]);
            }
            errors += r[r.length - 1];
        }
        pool.shutdown();
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        double p50 = sorted.length == 0 ? 0 : sorted[sorted.length / 2] / 1e6;
        double p99 = sorted.length == 0 ? 0 : sorted[(int) (sorted.length * 0.99)] / 1e6;
        return new Result(sorted.length / (double) seconds, p50, p99, errors);
    }
}
