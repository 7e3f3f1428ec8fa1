package io.vantage.bench;

import io.javalin.Javalin;
import io.vantage.collector.CollectorConfig;
import io.vantage.http.HttpConventions;
import java.util.Map;

/**
 * The HTTP ceiling: the collector's server stack (Javalin with the conventions every Vantage
 * server applies) with a route that reads the body and answers what {@code /collect} answers,
 * doing no work in between: {@code /bare} as a direct route, as {@code /collect} is served, and
 * {@code /bare-servlet} as a Javalin route, for comparison.
 */
final class BareServer {
    private BareServer() {
    }

    static void run(int port) throws InterruptedException {
        Javalin app = Javalin.create(cfg -> {
            HttpConventions.apply(cfg, CollectorConfig.DEFAULT_MAX_IMPORT_BYTES);
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = port;
            // The ceiling of POST /collect: the same direct route mechanism, answering at once.
            io.vantage.http.DirectRoutes.install(cfg, Map.of("/bare", (request, headers) -> {
                request.body();
                return java.util.concurrent.CompletableFuture.completedFuture(io.vantage.http.DirectRoutes.Answer.json(202, Map.of("accepted", 1)));
            }), CollectorConfig.DEFAULT_MAX_BODY_BYTES, (path, header, headers) -> {
                headers.put("Vary", "Origin");
                headers.put("Access-Control-Allow-Origin", "*");
            });
            cfg.routes.post("/bare-servlet", ctx -> {
                ctx.bodyAsBytes();
                ctx.header("Access-Control-Allow-Origin", "*");
                ctx.status(202).json(Map.of("accepted", 1));
            });
        });
        app.start();
        System.out.println("bare server ready on " + port);
        Thread.currentThread().join();
    }
}
