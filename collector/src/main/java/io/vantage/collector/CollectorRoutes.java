package io.vantage.collector;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.vantage.http.ApiException;
import io.vantage.http.DirectRoutes;
import io.vantage.http.Auth;
import io.vantage.http.ErrorBody;
import io.vantage.http.HttpModule;
import io.vantage.http.Responses;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The ingestion routes: {@code POST /collect}, {@code GET /collect.gif} (public, CORS without
 * preflight for {@code text/plain} bodies) and {@code POST /api/import} (admin).
 */
public final class CollectorRoutes implements HttpModule {
    /** A transparent 1x1 GIF. */
    static final byte[] GIF = {71, 73, 70, 56, 57, 97, 1, 0, 1, 0, -128, 0, 0, 0, 0, 0, -1, -1, -1, 33, -7, 4, 1, 0, 0,
        0, 0, 44, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 68, 1, 0, 59};

    private final CollectorService service;
    private final Auth auth;
    private final Clock clock;
    private final int maxBodyBytes;
    private final int maxImportBytes;
    private final Duration answerWithin;

    private final TrustedProxies proxies;

    public CollectorRoutes(CollectorService service, Auth auth, Clock clock, CollectorConfig config) {
        this.service = service;
        this.auth = auth;
        this.clock = clock;
        this.maxBodyBytes = config.maxBodyBytes();
        this.maxImportBytes = config.maxImportBytes();
        this.proxies = config.trustedProxies();
        this.answerWithin = config.produceTimeout().plusSeconds(2);
        this.bases = config.bases();
    }

    private final java.util.List<String> bases;

    @Override
    public void register(JavalinConfig cfg) {
        for (String base : bases) {
            registerAt(cfg, base);
        }
        // The tracker's beacon, the hottest route, answered without a server thread waiting for Kafka.
        Map<String, DirectRoutes.Route> direct = new java.util.HashMap<>();
        directRoutes().forEach(path -> direct.put(path, this::collect));
        DirectRoutes.install(cfg, direct, maxBodyBytes);
        cfg.routes.post("/api/import", this::importEvents);
    }

    /** The public ingestion routes under {@code base} (the root, or the first-party path prefix). */
    private void registerAt(JavalinConfig cfg, String base) {
        cfg.routes.options(base + "/collect", this::preflight);
        cfg.routes.get(base + "/collect.gif", this::collectGif);
        // Plausible's Events API, for its script and SDKs unchanged (docs/compatibility.md)
        cfg.routes.options(base + "/api/event", this::preflight);
        cfg.routes.post(base + "/api/event", ctx -> peer(ctx, PlausibleEvents::toCollectBody, PlausibleEvents.FIELDS,
                (c, n) -> c.status(202).contentType("text/plain; charset=utf-8").result("ok")));
        // Umami's tracker and SDKs (docs/compatibility.md); the tracker echoes the cache token in x-umami-cache
        cfg.routes.options(base + "/api/send", this::umamiPreflight);
        cfg.routes.options(base + "/api/batch", this::umamiPreflight);
        cfg.routes.post(base + "/api/send", ctx -> peer(ctx, UmamiEvents::toCollectBody, UmamiEvents.FIELDS,
                (c, n) -> c.status(200).json(Map.of("cache", cacheToken()))));
        cfg.routes.post(base + "/api/batch", ctx -> peer(ctx, UmamiEvents::toCollectBody, UmamiEvents.FIELDS,
                (c, n) -> c.status(200).json(Map.of("size", n, "cache", cacheToken()))));
        // PostHog's capture endpoints, gzip and base64 bodies included; its SDKs' start-up calls get a minimal answer
        for (String path : new String[] {"/e", "/i/v0/e", "/capture", "/batch", "/track", "/engage"}) {
            cfg.routes.options(base + path, this::preflight);
            cfg.routes.post(base + path, ctx -> peer(ctx, raw -> PostHogEvents.decode(raw, ctx.queryParam("compression"), maxBodyBytes),
                    PostHogEvents::toCollectBody, PostHogEvents.FIELDS, (c, n) -> c.status(200).json(Map.of("status", 1))));
        }
        // Snowplow's trackers (POST tp2 and the GET pixel); they send credentials, so CORS allows them
        cfg.routes.options(base + SNOWPLOW_POST, ctx -> {
            credentials(ctx);
            preflight(ctx);
        });
        cfg.routes.post(base + SNOWPLOW_POST, ctx -> {
            credentials(ctx);
            peer(ctx, SnowplowEvents::toCollectBody, SnowplowEvents.FIELDS,
                    (c, n) -> c.status(200).contentType("text/plain; charset=utf-8").result("ok"));
        });
        cfg.routes.get(base + "/i", ctx -> {
            credentials(ctx);
            cors(ctx);
            peerEvents(ctx, String.valueOf(ctx.queryString()).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    SnowplowEvents.fromQuery(ctx.queryParamMap(), service.sites()), SnowplowEvents.FIELDS,
                    (c, n) -> c.status(200).contentType("image/gif").header("Cache-Control", "no-store").result(GIF));
        });
        // Matomo's JavaScript tracker, image tracker and SDKs (bulk requests too)
        for (String path : new String[] {"/matomo.php", "/piwik.php"}) {
            cfg.routes.options(base + path, this::preflight);
            cfg.routes.get(base + path, ctx -> matomo(ctx, MatomoEvents.params(ctx.queryString())));
            cfg.routes.post(base + path, this::matomoPost);
        }
        // Google Analytics 4's Measurement Protocol
        cfg.routes.post(base + "/mp/collect", ctx -> peer(ctx, (body, sites) -> Ga4Events.toCollectBody(body, sites, ctx.queryParam("measurement_id")),
                Ga4Events.FIELDS, (c, n) -> c.status(204)));
        for (String path : new String[] {"/decide", "/flags"}) {
            cfg.routes.options(base + path, this::preflight);
            cfg.routes.post(base + path, this::postHogConfig);
            cfg.routes.get(base + path, this::postHogConfig);
        }
    }

    /**
     * What PostHog's SDKs ask at start ({@code /decide/}, {@code /flags/}): no flags, no session
     * recording, gzip accepted, autocapture on; enough that no SDK retries or disables itself.
     */
    private void postHogConfig(Context ctx) {
        cors(ctx);
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("config", Map.of("enable_collect_everything", true));
        out.put("featureFlags", Map.of());
        out.put("featureFlagPayloads", Map.of());
        out.put("flags", Map.of());
        out.put("errorsWhileComputingFlags", false);
        out.put("sessionRecording", false);
        out.put("supportedCompression", java.util.List.of("gzip-js"));
        out.put("autocapture_opt_out", false);
        out.put("capturePerformance", false);
        out.put("heatmaps", false);
        out.put("surveys", false);
        out.put("siteApps", java.util.List.of());
        out.put("toolbarParams", Map.of());
        out.put("isAuthenticated", false);
        ctx.status(200).json(out);
    }

    static final String SNOWPLOW_POST = "/com.snowplowanalytics.snowplow/tp2";

    /** The paths browsers and SDKs send events to (under each base), which no per-request timer should slow. */
    private static final List<String> INGESTION = List.of("/collect", "/collect.gif", "/api/event", "/api/send", "/api/batch",
            "/e", "/i/v0/e", "/capture", "/batch", "/track", "/engage", SNOWPLOW_POST, "/i", "/matomo.php", "/piwik.php", "/mp/collect");

    /** The ingestion routes under each of {@code bases}, as the router names them. */
    public static java.util.Set<String> ingestionRoutes(List<String> bases) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String base : bases) {
            INGESTION.forEach(path -> out.add(base + path));
        }
        return java.util.Set.copyOf(out);
    }

    /** One Matomo tracking request: a GIF for an image request, 204 when the tracker asked for none (as Matomo answers). */
    private void matomo(Context ctx, Map<String, String> params) {
        cors(ctx);
        com.fasterxml.jackson.databind.JsonNode event = MatomoEvents.event(params, service.sites());
        com.fasterxml.jackson.databind.node.ArrayNode events = io.vantage.model.Json.MAPPER.createArrayNode();
        if (event != null) {
            events.add(event);
        }
        boolean image = ctx.method() == io.javalin.http.HandlerType.GET && !"0".equals(params.get("send_image"));
        peerEvents(ctx, String.valueOf(ctx.queryString()).getBytes(java.nio.charset.StandardCharsets.UTF_8), events, MatomoEvents.FIELDS,
                (c, n) -> {
                    if (image) {
                        c.status(200).contentType("image/gif").header("Cache-Control", "no-store").result(GIF);
                    } else {
                        c.status(204);
                    }
                });
    }

    /** A form body (merged with the query), or the bulk form {@code {"requests": [...]}}. */
    private void matomoPost(Context ctx) {
        byte[] raw = io.vantage.http.HttpConventions.body(ctx, maxBodyBytes);
        String text = new String(raw, java.nio.charset.StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            cors(ctx);
            peerEvents(ctx, raw, parse(raw, MatomoEvents::fromBulk), MatomoEvents.FIELDS,
                    (c, n) -> c.status(200).json(Map.of("status", "success", "tracked", n, "invalid", 0)));
            return;
        }
        Map<String, String> params = MatomoEvents.params(text);
        MatomoEvents.params(ctx.queryString()).forEach(params::putIfAbsent);
        matomo(ctx, params);
    }

    /** For trackers that send cookies (Snowplow's): allowed when the origin is granted, which is then named, never '*'. */
    private void credentials(Context ctx) {
        if (ctx.header("Origin") != null) {
            ctx.header("Access-Control-Allow-Credentials", "true");
        }
    }

    private void umamiPreflight(Context ctx) {
        preflight(ctx);
        ctx.header("Access-Control-Allow-Headers", "Content-Type, x-umami-cache");
    }

    /** Umami's session cache token: its tracker sends it back; Vantage keeps no session by it, so it is opaque and random. */
    private static String cacheToken() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private void preflight(Context ctx) {
        cors(ctx);
        ctx.header("Access-Control-Allow-Methods", "POST, GET, OPTIONS");
        ctx.header("Access-Control-Allow-Headers", "Content-Type");
        ctx.header("Access-Control-Max-Age", "86400");
        ctx.status(204);
    }

    @Override
    public List<String> directRoutes() {
        return bases.stream().map(base -> base + "/collect").toList();
    }

    /** {@code POST /collect}: 202 once Kafka acknowledged the events, 400 naming the first invalid field. */
    private java.util.concurrent.CompletionStage<DirectRoutes.Answer> collect(DirectRoutes.DirectRequest request, Map<String, String> headers) {
        cors(request.header("Origin"), headers);
        RequestFacts facts = new RequestFacts(clock.millis(), proxies.clientAddress(request.remoteAddress(), request.header("X-Forwarded-For")),
                request.header("User-Agent"), pageOrigin(request.header("Origin"), request.header("Referer")));
        return service.collect(request.body(), facts).thenApply(result -> {
            if (result.firstInvalid() == null) {
                return DirectRoutes.Answer.json(202, Map.of("accepted", result.accepted()));
            }
            CollectorService.InvalidEvent bad = result.firstInvalid();
            return DirectRoutes.Answer.json(400, Map.of(
                    "error", "invalid_field",
                    "message", (result.accepted() > 0 || bad.index() > 0 ? "event " + bad.index() + ": " : "") + bad.message(),
                    "field", bad.field(),
                    "accepted", result.accepted()));
        });
    }

    /**
     * A peer's ingestion route: its body translated into a {@code /collect} body (the raw body
     * when it is not JSON of the peer's shape, for the service to refuse and keep), then answered
     * as the peer answers; a refusal names the peer's field, in our error shape and in an
     * {@code errors} object as Plausible gives it.
     */
    private void peer(Context ctx, java.util.function.BiFunction<com.fasterxml.jackson.databind.JsonNode, io.vantage.model.SiteRegistry,
            com.fasterxml.jackson.databind.node.ArrayNode> translate, Map<String, String> fields,
                      java.util.function.BiConsumer<Context, Integer> ok) {
        peer(ctx, raw -> raw, translate, fields, ok);
    }

    /** {@link #peer} for a body that is decoded first (inflated, unwrapped from a form). */
    private void peer(Context ctx, java.util.function.UnaryOperator<byte[]> decode,
                      java.util.function.BiFunction<com.fasterxml.jackson.databind.JsonNode, io.vantage.model.SiteRegistry,
                              com.fasterxml.jackson.databind.node.ArrayNode> translate, Map<String, String> fields,
                      java.util.function.BiConsumer<Context, Integer> ok) {
        cors(ctx);
        byte[] raw = decode.apply(io.vantage.http.HttpConventions.body(ctx, maxBodyBytes));
        peerEvents(ctx, raw, parse(raw, translate), fields, ok);
    }

    private com.fasterxml.jackson.databind.node.ArrayNode parse(byte[] raw, java.util.function.BiFunction<com.fasterxml.jackson.databind.JsonNode,
            io.vantage.model.SiteRegistry, com.fasterxml.jackson.databind.node.ArrayNode> translate) {
        com.fasterxml.jackson.databind.JsonNode parsed;
        try {
            parsed = io.vantage.model.Json.MAPPER.readTree(raw);
        } catch (java.io.IOException e) {
            parsed = null;
        }
        return translate.apply(parsed, service.sites());
    }

    /**
     * Stores a peer's events as translated ({@code events}; null: not the peer's shape, so the raw
     * body is refused and kept), then answers as the peer does, or with a 400 naming its field.
     * A request whose events are all the peer's own bookkeeping (nothing to count) is answered at once.
     */
    private void peerEvents(Context ctx, byte[] raw, com.fasterxml.jackson.databind.node.ArrayNode events, Map<String, String> fields,
                            java.util.function.BiConsumer<Context, Integer> ok) {
        if (events != null && events.isEmpty()) {
            ok.accept(ctx, 0);
            return;
        }
        byte[] body = events == null ? raw : events.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Responses.await(ctx, service.collect(body, facts(ctx)), answerWithin, (c, result) -> {
            if (result.firstInvalid() == null) {
                ok.accept(c, result.accepted());
            } else {
                String ours = result.firstInvalid().field() == null ? "body" : result.firstInvalid().field();
                String field = fields.getOrDefault(ours, ours);
                String message = result.firstInvalid().message();
                c.status(400).json(Map.of("error", "invalid_field", "message", message, "field", field,
                        "errors", Map.of(field, java.util.List.of(message))));
            }
        });
    }

    private void collectGif(Context ctx) {
        cors(ctx);
        com.fasterxml.jackson.databind.node.ObjectNode event = io.vantage.model.Json.MAPPER.createObjectNode();
        ctx.queryParamMap().forEach((name, values) -> {
            String v = values.isEmpty() ? "" : values.get(0);
            if (NUMERIC.contains(name) && v.matches("-?\\d{1,18}")) {
                event.put(name, Long.parseLong(v));
            } else {
                event.put(name, v);
            }
        });
        byte[] body = event.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Responses.async(ctx, service.collect(body, facts(ctx)),
                (c, result) -> {
                    if (result.firstInvalid() != null) {
                        c.status(400).json(new ErrorBody("invalid_field", result.firstInvalid().message(), result.firstInvalid().field()));
                    } else {
                        c.status(200).contentType("image/gif").header("Cache-Control", "no-store").result(GIF);
                    }
                });
    }

    private static final java.util.Set<String> NUMERIC = java.util.Set.of("ts", "sent_at", "x", "y", "scroll_pct", "engaged_ms");

    private void importEvents(Context ctx) {
        auth.requireAdmin(ctx);
        Responses.async(ctx, service.importNdjson(io.vantage.http.HttpConventions.body(ctx, maxImportBytes), ctx.queryParam("site"), facts(ctx)),
                (c, result) -> c.status(200).json(result));
    }

    private RequestFacts facts(Context ctx) {
        String ip = proxies.clientAddress(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For"));
        return new RequestFacts(clock.millis(), ip, ctx.header("User-Agent"), pageOrigin(ctx));
    }

    /**
     * Where the request comes from, for a site's allowed domains: its {@code Origin}, or without
     * one (an image beacon, a GET) the origin of its {@code Referer}; null when it sends neither
     * (a server-side sender).
     */
    static String pageOrigin(Context ctx) {
        return pageOrigin(ctx.header("Origin"), ctx.header("Referer"));
    }

    static String pageOrigin(String origin, String referer) {
        if (origin != null && !origin.isBlank() && !"null".equals(origin)) {
            return origin;
        }
        if (referer == null || referer.isBlank()) {
            return origin;
        }
        String host = io.vantage.model.Urls.host(referer);
        // A Referer that names no host cannot pass an allowed-domains check.
        return host == null ? referer : "https://" + host;
    }

    /** CORS: an origin is granted only when some site takes beacons from it (see {@link CollectorService#acceptsOrigin}). */
    private void cors(Context ctx) {
        Map<String, String> headers = new java.util.LinkedHashMap<>(2);
        cors(ctx.header("Origin"), headers);
        headers.forEach(ctx::header);
    }

    private void cors(String origin, Map<String, String> headers) {
        headers.put("Vary", "Origin");
        if (origin == null) {
            headers.put("Access-Control-Allow-Origin", "*");
        } else if (service.acceptsOrigin(origin)) {
            headers.put("Access-Control-Allow-Origin", origin);
        }
    }
}
