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
        // The beacons (ours and the peers' trackers' POSTs), answered without a server thread waiting for Kafka.
        // CORS on every answer, refusals of an oversize body included; Snowplow's trackers send credentials.
        DirectRoutes.install(cfg, direct(), maxBodyBytes, (path, header, headers) -> {
            cors(header.apply("Origin"), headers);
            if (path.endsWith(SNOWPLOW_POST)) {
                credentials(header.apply("Origin"), headers);
            }
        });
        cfg.routes.post("/api/import", this::importEvents);
    }

    @Override
    public List<String> directRoutes() {
        return List.copyOf(direct().keySet());
    }

    /** The POST routes served as direct routes, by path, under every base. */
    private Map<String, DirectRoutes.Route> direct() {
        Map<String, DirectRoutes.Route> routes = new java.util.LinkedHashMap<>();
        for (String base : bases) {
            routes.put(base + "/collect", this::collect);
            // Plausible's Events API, for its script and SDKs unchanged (docs/compatibility.md)
            routes.put(base + "/api/event", (request, headers) -> peer(request, headers, raw -> raw, PlausibleEvents::toCollectBody,
                    PlausibleEvents.FIELDS, n -> DirectRoutes.Answer.text(202, "ok")));
            // Umami's tracker and SDKs (docs/compatibility.md); the tracker echoes the cache token in x-umami-cache
            routes.put(base + "/api/send", (request, headers) -> peer(request, headers, raw -> raw, UmamiEvents::toCollectBody,
                    UmamiEvents.FIELDS, n -> DirectRoutes.Answer.json(200, Map.of("cache", cacheToken()))));
            routes.put(base + "/api/batch", (request, headers) -> peer(request, headers, raw -> raw, UmamiEvents::toCollectBody,
                    UmamiEvents.FIELDS, n -> DirectRoutes.Answer.json(200, Map.of("size", n, "cache", cacheToken()))));
            // PostHog's capture endpoints, gzip and base64 bodies included
            for (String path : new String[] {"/e", "/i/v0/e", "/capture", "/batch", "/track", "/engage"}) {
                routes.put(base + path, (request, headers) -> peer(request, headers,
                        raw -> PostHogEvents.decode(raw, request.queryParam("compression"), maxBodyBytes), PostHogEvents::toCollectBody,
                        PostHogEvents.FIELDS, n -> DirectRoutes.Answer.json(200, Map.of("status", 1))));
            }
            // Snowplow's trackers send credentials, so CORS allows them
            routes.put(base + SNOWPLOW_POST, (request, headers) -> peer(request, headers, raw -> raw, SnowplowEvents::toCollectBody,
                    SnowplowEvents.FIELDS, n -> DirectRoutes.Answer.text(200, "ok")));
            // Matomo's JavaScript tracker and SDKs (a form body, or bulk requests)
            for (String path : new String[] {"/matomo.php", "/piwik.php"}) {
                routes.put(base + path, this::matomoPost);
            }
            // Google Analytics 4's Measurement Protocol
            routes.put(base + "/mp/collect", (request, headers) -> peer(request, headers, raw -> raw,
                    (body, sites) -> Ga4Events.toCollectBody(body, sites, request.queryParam("measurement_id")), Ga4Events.FIELDS,
                    n -> DirectRoutes.Answer.empty(204)));
        }
        return routes;
    }

    /** The public ingestion routes under {@code base} (the root, or the first-party path prefix) that are Javalin's. */
    private void registerAt(JavalinConfig cfg, String base) {
        cfg.routes.options(base + "/collect", this::preflight);
        cfg.routes.get(base + "/collect.gif", this::collectGif);
        cfg.routes.options(base + "/api/event", this::preflight);
        cfg.routes.options(base + "/api/send", this::umamiPreflight);
        cfg.routes.options(base + "/api/batch", this::umamiPreflight);
        for (String path : new String[] {"/e", "/i/v0/e", "/capture", "/batch", "/track", "/engage"}) {
            cfg.routes.options(base + path, this::preflight);
        }
        cfg.routes.options(base + SNOWPLOW_POST, ctx -> {
            credentials(ctx);
            preflight(ctx);
        });
        // Snowplow's GET pixel
        cfg.routes.get(base + "/i", ctx -> {
            credentials(ctx);
            cors(ctx);
            peerEvents(ctx, String.valueOf(ctx.queryString()).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    SnowplowEvents.fromQuery(ctx.queryParamMap(), service.sites()), SnowplowEvents.FIELDS,
                    n -> new DirectRoutes.Answer(200, "image/gif", GIF), Map.of("Cache-Control", "no-store"));
        });
        // Matomo's image tracker
        for (String path : new String[] {"/matomo.php", "/piwik.php"}) {
            cfg.routes.options(base + path, this::preflight);
            cfg.routes.get(base + path, ctx -> {
                cors(ctx);
                Map<String, String> params = MatomoEvents.params(ctx.queryString());
                peerEvents(ctx, String.valueOf(ctx.queryString()).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        matomoEvents(params), MatomoEvents.FIELDS, n -> matomoAnswer(params, true), matomoHeaders(params, true));
            });
        }
        // PostHog's SDKs' start-up calls get a minimal answer
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

    /** A Matomo tracking request's event (none for a request that tracks nothing, such as a ping without a site). */
    private com.fasterxml.jackson.databind.node.ArrayNode matomoEvents(Map<String, String> params) {
        com.fasterxml.jackson.databind.JsonNode event = MatomoEvents.event(params, service.sites());
        com.fasterxml.jackson.databind.node.ArrayNode events = io.vantage.model.Json.MAPPER.createArrayNode();
        if (event != null) {
            events.add(event);
        }
        return events;
    }

    /** As Matomo answers: a GIF for an image request (a GET, unless it asked for none), else 204. */
    private static DirectRoutes.Answer matomoAnswer(Map<String, String> params, boolean get) {
        return matomoImage(params, get) ? new DirectRoutes.Answer(200, "image/gif", GIF) : DirectRoutes.Answer.empty(204);
    }

    private static Map<String, String> matomoHeaders(Map<String, String> params, boolean get) {
        return matomoImage(params, get) ? Map.of("Cache-Control", "no-store") : Map.of();
    }

    private static boolean matomoImage(Map<String, String> params, boolean get) {
        return get && !"0".equals(params.get("send_image"));
    }

    /** A form body (merged with the query), or the bulk form {@code {"requests": [...]}}. */
    private java.util.concurrent.CompletionStage<DirectRoutes.Answer> matomoPost(DirectRoutes.DirectRequest request, Map<String, String> headers) {
        byte[] raw = request.body();
        String text = new String(raw, java.nio.charset.StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            java.util.function.IntFunction<DirectRoutes.Answer> tracked =
                    n -> DirectRoutes.Answer.json(200, Map.of("status", "success", "tracked", n, "invalid", 0));
            try {
                return peerAnswer(facts(request), raw, parse(raw, MatomoEvents::fromBulk), MatomoEvents.FIELDS, tracked);
            } catch (PeerEvents.NotPeerShape e) {
                return answer(service.refuse(raw, e.field(), e.getMessage(), facts(request)), MatomoEvents.FIELDS, tracked);
            }
        }
        Map<String, String> params = MatomoEvents.params(text);
        MatomoEvents.params(request.queryString()).forEach(params::putIfAbsent);
        return peerAnswer(facts(request), (request.queryString() == null ? "" : request.queryString()).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                matomoEvents(params), MatomoEvents.FIELDS, n -> matomoAnswer(params, false));
    }

    /** For trackers that send cookies (Snowplow's): allowed when the origin is granted, which is then named, never '*'. */
    private void credentials(Context ctx) {
        if (ctx.header("Origin") != null) {
            ctx.header("Access-Control-Allow-Credentials", "true");
        }
    }

    private static void credentials(String origin, Map<String, String> headers) {
        if (origin != null) {
            headers.put("Access-Control-Allow-Credentials", "true");
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

    /** {@code POST /collect}: 202 once Kafka acknowledged the events, 400 naming the first invalid field. */
    private java.util.concurrent.CompletionStage<DirectRoutes.Answer> collect(DirectRoutes.DirectRequest request, Map<String, String> headers) {
        return service.collect(request.body(), facts(request)).thenApplyAsync(result -> {
            if (result.firstInvalid() == null) {
                return DirectRoutes.Answer.json(202, Map.of("accepted", result.accepted()));
            }
            CollectorService.InvalidEvent bad = result.firstInvalid();
            return DirectRoutes.Answer.json(400, Map.of(
                    "error", "invalid_field",
                    "message", (result.accepted() > 0 || bad.index() > 0 ? "event " + bad.index() + ": " : "") + bad.message(),
                    "field", bad.field(),
                    "accepted", result.accepted()));
        }, DirectRoutes.writers());
    }

    /**
     * A peer's ingestion route: its body decoded (inflated, unwrapped from a form) and translated
     * into a {@code /collect} body (the raw body when it is not JSON of the peer's shape, for the
     * service to refuse and keep), then answered as the peer answers.
     */
    private java.util.concurrent.CompletionStage<DirectRoutes.Answer> peer(DirectRoutes.DirectRequest request, Map<String, String> headers,
            java.util.function.UnaryOperator<byte[]> decode,
            java.util.function.BiFunction<com.fasterxml.jackson.databind.JsonNode, io.vantage.model.SiteRegistry,
                    com.fasterxml.jackson.databind.node.ArrayNode> translate,
            Map<String, String> fields, java.util.function.IntFunction<DirectRoutes.Answer> ok) {
        byte[] raw = decode.apply(request.body());
        RequestFacts facts = facts(request);
        try {
            return peerAnswer(facts, raw, parse(raw, translate), fields, ok);
        } catch (PeerEvents.NotPeerShape e) {
            return answer(service.refuse(raw, e.field(), e.getMessage(), facts), fields, ok);
        }
    }

    private com.fasterxml.jackson.databind.node.ArrayNode parse(byte[] raw, java.util.function.BiFunction<com.fasterxml.jackson.databind.JsonNode,
            io.vantage.model.SiteRegistry, com.fasterxml.jackson.databind.node.ArrayNode> translate) {
        com.fasterxml.jackson.databind.JsonNode parsed;
        try {
            parsed = io.vantage.model.Json.MAPPER.readTree(raw);
        } catch (java.io.IOException e) {
            parsed = null;
        }
        // An empty or blank body reads as a missing node: not JSON either, refused as on /collect (invalid_json)
        return translate.apply(parsed == null || parsed.isMissingNode() ? null : parsed, service.sites());
    }

    /**
     * Stores a peer's events as translated ({@code events}; null: not the peer's shape, so the raw
     * body is refused and kept), then answers as the peer does, or with a 400 naming its field (in
     * our error shape and in an {@code errors} object, as Plausible gives it). A request whose
     * events are all the peer's own bookkeeping (nothing to count) is answered at once.
     */
    private java.util.concurrent.CompletionStage<DirectRoutes.Answer> peerAnswer(RequestFacts facts, byte[] raw,
            com.fasterxml.jackson.databind.node.ArrayNode events, Map<String, String> fields, java.util.function.IntFunction<DirectRoutes.Answer> ok) {
        if (events != null && events.isEmpty()) {
            return java.util.concurrent.CompletableFuture.completedFuture(ok.apply(0));
        }
        byte[] body = events == null ? raw : events.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return answer(service.collect(body, facts), fields, ok);
    }

    /** As the peer answers a stored request, or with a 400 naming the peer's field of the first invalid event. */
    private static java.util.concurrent.CompletionStage<DirectRoutes.Answer> answer(
            java.util.concurrent.CompletableFuture<CollectorService.CollectResult> stored, Map<String, String> fields,
            java.util.function.IntFunction<DirectRoutes.Answer> ok) {
        return stored.thenApplyAsync(result -> {
            if (result.firstInvalid() == null) {
                return ok.apply(result.accepted());
            }
            String ours = result.firstInvalid().field() == null ? "body" : result.firstInvalid().field();
            String field = fields.getOrDefault(ours, ours);
            String message = result.firstInvalid().message();
            return DirectRoutes.Answer.json(400, Map.of("error", "invalid_field", "message", message, "field", field,
                    "errors", Map.of(field, java.util.List.of(message))));
        }, DirectRoutes.writers());
    }

    /** {@link #peerAnswer} on a Javalin route (the GET pixels), with {@code okHeaders} on success. */
    private void peerEvents(Context ctx, byte[] raw, com.fasterxml.jackson.databind.node.ArrayNode events, Map<String, String> fields,
                            java.util.function.IntFunction<DirectRoutes.Answer> ok, Map<String, String> okHeaders) {
        Responses.await(ctx, peerAnswer(facts(ctx), raw, events, fields, ok).toCompletableFuture(), answerWithin,
                (c, answer) -> answer.writeTo(c, answer.status() < 300 ? okHeaders : Map.of()));
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

    private RequestFacts facts(DirectRoutes.DirectRequest request) {
        return new RequestFacts(clock.millis(), proxies.clientAddress(request.remoteAddress(), request.header("X-Forwarded-For")),
                request.header("User-Agent"), pageOrigin(request.header("Origin"), request.header("Referer")));
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
