package io.vantage.bench;

import io.javalin.Javalin;
import io.vantage.collector.CollectorConfig;
import io.vantage.http.HttpConventions;
import java.util.Map;

/**
 * The HTTP ceiling: the collector's server stack (Javalin with the conventions every Vantage
 * server applies) with one route that reads the body and answers what {@code /collect} answers,
 * doing no work in between.
 */
final class BareServer {
    private BareServer() {
    }

    static void run(int port) throws InterruptedException {
        Javalin app = Javalin.create(cfg -> {
            HttpConventions.apply(cfg, CollectorConfig.DEFAULT_MAX_IMPORT_BYTES);
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = port;
            cfg.routes.post("/bare", ctx -> {
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
