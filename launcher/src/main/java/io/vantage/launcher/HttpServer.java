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

    HttpServer(String host, int port, List<HttpModule> modules, List<Check> checks, PrometheusMeterRegistry registry, Auth auth) {
        app = Javalin.create(cfg -> {
            HttpConventions.apply(cfg, CollectorConfig.DEFAULT_MAX_IMPORT_BYTES);
            cfg.jetty.host = host;
            cfg.jetty.port = port;
            cfg.events.handlerAdded(h -> routes.add(h.getHttpMethod() + " " + h.getPath()));
            modules.forEach(m -> m.register(cfg));
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
        });
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
