package io.vantage.launcher;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.vantage.http.HttpModule;
import io.vantage.model.Site;
import io.vantage.model.SiteRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The local mode's demo site at {@code /demo}: a few pages with the tracker embedded, register,
 * log-in and log-out (log-in sends {@code identify} with traits), a form that converts, the goal
 * {@code signup}, a video, a download and an outbound link. The first request makes the site
 * {@value #SITE} (goals {@code signup}, {@code newsletter}) when it does not exist yet, so a new
 * user clicks around and watches the dashboard move.
 */
final class DemoSite implements HttpModule {
    static final String SITE = "demo";
    private static final List<String> PAGES = List.of("index", "pricing", "register", "login", "contact", "media");
    private static final byte[] TOUR = silence(2);
    private final SiteRegistry sites;
    private final Map<String, byte[]> files;
    private volatile boolean ensured;

    DemoSite(SiteRegistry sites) {
        this.sites = sites;
        java.util.HashMap<String, byte[]> f = new java.util.HashMap<>();
        for (String page : PAGES) {
            f.put(page, resource(page + ".html"));
        }
        f.put("demo.js", resource("demo.js"));
        f.put("demo.css", resource("demo.css"));
        this.files = Map.copyOf(f);
    }

    @Override
    public void register(JavalinConfig cfg) {
        cfg.routes.get("/demo/", ctx -> page(ctx, "index"));
        cfg.routes.get("/demo/demo.js", ctx -> ctx.contentType("text/javascript; charset=utf-8").result(files.get("demo.js")));
        cfg.routes.get("/demo/demo.css", ctx -> ctx.contentType("text/css; charset=utf-8").result(files.get("demo.css")));
        cfg.routes.get("/demo/media/tour.wav", ctx -> ctx.contentType("audio/wav").result(TOUR));
        cfg.routes.get("/demo/files/brochure.pdf", ctx -> ctx.contentType("application/pdf")
                .result("%PDF-1.4\n% Acme Rockets brochure (a demo file)\n%%EOF\n".getBytes(StandardCharsets.US_ASCII)));
        cfg.routes.get("/demo/{page}", ctx -> page(ctx, ctx.pathParam("page")));
    }

    private void page(Context ctx, String name) {
        byte[] body = PAGES.contains(name) ? files.get(name) : null;
        if (body == null) {
            throw io.vantage.http.ApiException.notFound("unknown_page", "the demo has no page '" + name + "'");
        }
        ensureSite();
        ctx.header("Cache-Control", "no-cache").contentType("text/html; charset=utf-8").result(body);
    }

    private void ensureSite() {
        if (ensured) {
            return;
        }
        if (sites.find(SITE).isEmpty()) {
            try {
                sites.create(new Site(SITE, "localhost", "UTC", List.of("signup", "newsletter"), List.of(), 0, List.of()));
            } catch (SiteRegistry.SiteExistsException e) {
                // made by a concurrent first request
            }
        }
        ensured = true;
    }

    /** A WAV file of {@code seconds} of silence (8 kHz, 8-bit mono): a video the browser can play to the end. */
    static byte[] silence(int seconds) {
        int samples = 8000 * seconds;
        ByteArrayOutputStream out = new ByteArrayOutputStream(44 + samples);
        java.nio.ByteBuffer h = java.nio.ByteBuffer.allocate(44).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + samples).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        h.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1).putInt(8000).putInt(8000)
                .putShort((short) 1).putShort((short) 8);
        h.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(samples);
        out.writeBytes(h.array());
        byte[] quiet = new byte[samples];
        java.util.Arrays.fill(quiet, (byte) 0x80);
        out.writeBytes(quiet);
        return out.toByteArray();
    }

    private static byte[] resource(String name) {
        try (InputStream in = DemoSite.class.getResourceAsStream("/vantage/demo/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource vantage/demo/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
