package io.vantage.collector;

import io.javalin.config.JavalinConfig;
import io.vantage.http.HttpModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Serves the minified tracker at {@code /tracker.js} (and under the first-party path prefix, where
 * the tracker then sends its beacons: it posts beside its own script), with an ETag and cache headers.
 */
public final class TrackerRoutes implements HttpModule {
    static final String RESOURCE = "/vantage/tracker.js";
    private final byte[] script;
    private final String etag;
    private final java.util.List<String> bases;

    public TrackerRoutes() {
        this(java.util.List.of(""));
    }

    /** Served under each of {@code bases} ({@code ""} for the root). */
    public TrackerRoutes(java.util.List<String> bases) {
        this.bases = java.util.List.copyOf(bases);
        try (InputStream in = TrackerRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("tracker.js is not on the classpath (" + RESOURCE + "); build tracker-js first");
            }
            script = in.readAllBytes();
            etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(script), 0, 12) + "\"";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void register(JavalinConfig cfg) {
        for (String base : bases) {
            registerAt(cfg, base);
        }
    }

    private void registerAt(JavalinConfig cfg, String base) {
        cfg.routes.get(base + "/tracker.js", ctx -> {
            ctx.header("ETag", etag);
            ctx.header("Cache-Control", "public, max-age=3600, stale-while-revalidate=86400");
            ctx.header("Access-Control-Allow-Origin", "*");
            if (etag.equals(ctx.header("If-None-Match"))) {
                ctx.status(304);
                return;
            }
            ctx.contentType("application/javascript; charset=utf-8").result(script);
        });
    }
}
