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
        // Under the first-party path, the script first names that path as its collector (data-api,
        // unless the page set one), so /t/tracker.js sends to /t/collect; at the root it is served as built.
        byte[] script = base.isEmpty() ? this.script : firstParty(base);
        String etag = base.isEmpty() ? this.etag : "\"" + this.etag.substring(1, this.etag.length() - 1) + "-fp\"";
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

    /**
     * The script served under {@code base}: a line before the tracker sets the script element's
     * {@code data-api} to the page-relative {@code base} (resolved against the script's own URL)
     * unless the page gave one, so beacons go through the same first-party path.
     */
    private byte[] firstParty(String base) {
        String prelude = "(function(s){if(s&&!s.getAttribute('data-api'))s.setAttribute('data-api',new URL('" + base
                + "',s.src).href)})(document.currentScript);\n";
        byte[] head = prelude.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] out = java.util.Arrays.copyOf(head, head.length + script.length);
        System.arraycopy(script, 0, out, head.length, script.length);
        return out;
    }
}
