package io.vantage.launcher;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vantage.collector.CollectorConfig;
import io.vantage.http.Auth;
import io.vantage.http.HttpConventions;
import io.vantage.http.HttpModule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** One Javalin server carrying the routes of the modules of this process, plus health and metrics. */
final class HttpServer implements AutoCloseable {
    private final Javalin app;
    private final List<String> routes = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A named readiness check: null when fine, else what is wrong. */
    record Check(String name, Supplier<String> problem) {
    }

    /**
     * @param untimed the ingestion routes, left off the per-route request timer: a timer lookup and
     *                histogram per request cost the collector about a quarter of its rate (measured);
     *                produce latency times them instead
     */
    HttpServer(String host, int port, List<HttpModule> modules, List<Check> checks, PrometheusMeterRegistry registry, Auth auth,
               java.util.Set<String> untimed) {
        app = Javalin.create(cfg -> {
            HttpConventions.apply(cfg, CollectorConfig.DEFAULT_MAX_IMPORT_BYTES);
            cfg.jetty.host = host;
            cfg.jetty.port = port;
            cfg.events.handlerAdded(h -> routes.add(h.getHttpMethod() + " " + h.getPath()));
            // Latency by route (queries among them) for the operator's dashboard. Not for ingestion, whose
            // requests are timed by vantage_produce_latency: the hot path keeps its cost per request.
            cfg.requestLogger.http((ctx, ms) -> {
                String route = route(ctx);
                if (!untimed.contains(route) && !route.endsWith("/live")) { // a stream lasts as long as its page
                    timers.computeIfAbsent(ctx.method().name() + " " + route + " " + ctx.statusCode(), k -> io.micrometer.core.instrument.Timer
                            .builder("vantage.http.requests").description("HTTP requests by route and status (ingestion: see vantage.produce.latency)")
                            .tag("method", ctx.method().name()).tag("route", route).tag("status", String.valueOf(ctx.statusCode()))
                            .publishPercentileHistogram().minimumExpectedValue(java.time.Duration.ofMillis(1))
                            .maximumExpectedValue(java.time.Duration.ofSeconds(30)).register(registry))
                            .record((long) (ms * 1000), java.util.concurrent.TimeUnit.MICROSECONDS);
                }
            });
            modules.forEach(m -> m.register(cfg));
            modules.forEach(m -> m.directRoutes().forEach(path -> routes.add("POST " + path)));
            cfg.routes.get("/health", ctx -> {
                Map<String, Object> body = new LinkedHashMap<>();
                boolean ok = true;
                for (Check c : checks) {
                    String problem = c.problem().get();
                    body.put(c.name(), problem == null ? "ok" : problem);
                    ok &= problem == null;
                }
                body.put("status", ok ? "ok" : "unavailable");
                ctx.status(ok ? 200 : 503).json(body);
            });
            // Not open to the world: the figures name sites, partitions and rejection reasons.
            cfg.routes.get("/metrics", ctx -> {
                auth.requireAdmin(ctx);
                ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
            });
            // The dashboard's "what was filtered": the same counters, by stage and reason.
            cfg.routes.get("/api/filtered", ctx -> {
                auth.requireAdmin(ctx);
                ctx.json(filtered(registry));
            });
        });
    }

    /** Events refused, dropped or set aside by this process since it started, by stage and reason. */
    static Map<String, Object> filtered(io.micrometer.core.instrument.MeterRegistry registry) {
        Map<String, String> stages = Map.of("vantage.events.rejected", "refused by the collector",
                "vantage.events.dropped", "dropped by the processor", "vantage.events.bad", "bad events (kept on vantage.events.bad)");
        List<Map<String, Object>> reasons = new java.util.ArrayList<>();
        for (io.micrometer.core.instrument.Meter m : registry.getMeters()) {
            String stage = stages.get(m.getId().getName());
            if (stage != null && m instanceof io.micrometer.core.instrument.Counter c && c.count() > 0) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("stage", stage);
                row.put("reason", String.valueOf(m.getId().getTag("reason")));
                row.put("count", (long) c.count());
                reasons.add(row);
            }
        }
        reasons.sort(java.util.Comparator.comparing((Map<String, Object> r) -> -((Long) r.get("count"))));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scope", "this instance, since it started at " + STARTED);
        out.put("reasons", reasons);
        return out;
    }

    private static final String STARTED = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();

    private final java.util.Map<String, io.micrometer.core.instrument.Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    /** The matched route's path pattern (never the raw path, whose values are unbounded), or "unmatched". */
    private static String route(io.javalin.http.Context ctx) {
        try {
            io.javalin.router.Endpoint e = ctx.endpoint();
            return e == null ? "unmatched" : e.path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    HttpServer start() {
        app.start();
        return this;
    }

    int port() {
        return app.port();
    }

    /** Every route this server answers, as {@code "GET /path/{param}"} (for the authorization test). */
    List<String> routes() {
        return List.copyOf(routes);
    }

    @Override
    public void close() {
        app.stop();
    }
}
