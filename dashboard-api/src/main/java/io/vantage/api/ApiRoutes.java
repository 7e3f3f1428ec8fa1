package io.vantage.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.vantage.http.ApiException;
import io.vantage.http.Auth;
import io.vantage.http.HttpModule;
import io.vantage.model.Json;
import io.vantage.model.Site;
import io.vantage.model.SiteRegistry;
import io.vantage.profiler.VisitorProfile;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The dashboard API: queries, visitor profiles, status, and the internal endpoints peers call. */
public final class ApiRoutes implements HttpModule {
    /** The dashboard's front end, built by tracker-js (npm + esbuild) into its jar. */
    private static final byte[] DASHBOARD = resource("/vantage/dashboard/index.html");
    private static final byte[] DASHBOARD_JS = resource("/vantage/dashboard/dashboard.js");
    private static final byte[] DASHBOARD_CSS = resource("/vantage/dashboard/dashboard.css");
    /** No inline script or style, no framing, no third-party origin: an injected value cannot run. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    static final int MAX_QUERY_BYTES = 64 * 1024;
    private final SiteRegistry sites;
    private final Auth auth;
    private final QueryParser parser;
    private final QueryService queries;
    private final StreamsPartialSource partials;
    private final ProfileService profiles;
    private final StatusService status;

    private final ProgressTracker progress;
    private final io.vantage.http.PeerAuth peers;
    private final LiveFeed live;
    private final Erasures erasures;

    public ApiRoutes(SiteRegistry sites, Auth auth, io.vantage.http.PeerAuth peers, QueryParser parser, StreamsPartialSource partials,
                     ProfileService profiles, StatusService status, ProgressTracker progress, Erasures erasures) {
        this.erasures = erasures;
        this.peers = peers;
        this.progress = progress;
        this.sites = sites;
        this.auth = auth;
        this.parser = parser;
        this.queries = new QueryService(partials, java.time.Clock.systemUTC());
        this.partials = partials;
        this.profiles = profiles;
        this.status = status;
        this.live = new LiveFeed(() -> partials.counted(progress), this::realtimeVisitors);
    }

    /** The push feed's thread; stopped with the node. */
    public LiveFeed live() {
        return live;
    }

    @Override
    public void register(JavalinConfig cfg) {
        cfg.routes.post("/api/v2/query", this::query);
        // Plausible's Stats API v1 and Umami's statistics, answered by the same engine
        new PeerQueryRoutes(sites, auth, parser, queries).register(cfg);
        cfg.routes.get("/api/sites/{id}/visitors/{visitor}", this::profile);
        cfg.routes.delete("/api/sites/{id}/visitors/{visitor}", this::erase);
        // The admin's: it names partitions, lags and peers, and costs Kafka admin calls.
        cfg.routes.get("/api/status", ctx -> {
            auth.requireAdmin(ctx);
            ctx.json(status.status());
        });
        cfg.routes.get("/api/sites/{id}/realtime", this::realtime);
        cfg.routes.get("/api/sites/{id}/live", this::liveStream);
        cfg.routes.get("/", ctx -> page(ctx, "text/html; charset=utf-8", DASHBOARD));
        // A shared read-only view: the read key travels in the URL's fragment, which browsers never send.
        cfg.routes.get("/share/{id}", ctx -> page(ctx, "text/html; charset=utf-8", DASHBOARD));
        cfg.routes.get("/dashboard/dashboard.js", ctx -> page(ctx, "text/javascript; charset=utf-8", DASHBOARD_JS));
        cfg.routes.get("/dashboard/dashboard.css", ctx -> page(ctx, "text/css; charset=utf-8", DASHBOARD_CSS));
        cfg.routes.get(StreamsPartialSource.COUNTED_PATH, ctx -> {
            peers.require(ctx);
            ctx.json(Map.of("counted", progress.counted()));
        });
        cfg.routes.post(StreamsPartialSource.SCAN_PATH, ctx -> {
            peers.require(ctx);
            ctx.json(partials.scanLocal(ctx.bodyAsClass(ScanRequest.class)));
        });
        cfg.routes.get(StreamsPartialSource.PROGRESS_PATH, ctx -> {
            peers.require(ctx);
            ctx.json(progress.eventTimes());
        });
        cfg.routes.post(StreamsPartialSource.FIRST_PATH, ctx -> {
            peers.require(ctx);
            ctx.json(partials.firstVisitLocal(String.valueOf(ctx.bodyAsClass(Map.class).get("site"))));
        });
        cfg.routes.get(ProfileService.PROFILE_PATH, ctx -> {
            peers.require(ctx);
            VisitorProfile p = profiles.findLocal(ctx.queryParam("site"), ctx.queryParam("visitor"));
            if (p == null) {
                throw ProfileService.notFound(ctx.queryParam("visitor"));
            }
            ctx.json(p);
        });
        cfg.routes.get(ProfileService.HISTORY_PATH, ctx -> {
            peers.require(ctx);
            ctx.json(profiles.historyLocal(ctx.queryParam("site"), ctx.queryParam("visitor")));
        });
    }

    /** A dashboard file with the security headers. */
    static void page(Context ctx, String type, byte[] body) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(type).result(body);
    }

    private static byte[] resource(String name) {
        try (java.io.InputStream in = ApiRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void query(Context ctx) {
        QueryRequest request;
        try {
            request = QueryRequest.of(Json.MAPPER.readTree(io.vantage.http.HttpConventions.body(ctx, MAX_QUERY_BYTES)));
        } catch (IOException e) {
            throw ApiException.badRequest("invalid_json", "the body must be a query object: " + e.getMessage());
        }
        if (request == null || request.siteId() == null) {
            throw ApiException.invalidField("site_id", "is required");
        }
        Site site = auth.requireSiteReader(ctx, request.siteId());
        if (site == null) {
            throw ApiException.invalidField("site_id", "unknown site '" + request.siteId() + "'");
        }
        ctx.json(queries.run(parser.parse(request, site)));
    }

    /** Server-sent events: an update whenever new events were processed, see {@link LiveFeed}. */
    private void liveStream(Context ctx) throws Exception {
        String siteId = ctx.pathParam("id");
        Site site = auth.requireSiteReader(ctx, siteId);
        if (site == null) {
            throw ApiException.notFound("unknown_site", "no site '" + siteId + "'");
        }
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new ApiException(406, "not_acceptable", "this is a stream of server-sent events: send Accept: text/event-stream", "Accept");
        }
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Accel-Buffering", "no");
        new io.javalin.http.sse.SseHandler(client -> live.subscribe(site, client)).handle(ctx);
    }

    private long realtimeVisitors(Site site) {
        QueryRequest now = new QueryRequest(site.id(), java.util.List.of("realtime_visitors"), Json.MAPPER.valueToTree("realtime"),
                null, null, null, null);
        return queries.run(parser.parse(now, site)).results().get(0).metrics().get(0).longValue();
    }

    /** Visitors of the last 5 minutes, and visitors and pageviews per minute of the last 30. */
    private void realtime(Context ctx) {
        String siteId = ctx.pathParam("id");
        Site site = auth.requireSiteReader(ctx, siteId);
        if (site == null) {
            throw ApiException.notFound("unknown_site", "no site '" + siteId + "'");
        }
        QueryRequest now = new QueryRequest(siteId, java.util.List.of("realtime_visitors"), Json.MAPPER.valueToTree("realtime"),
                null, null, null, null);
        QueryRequest minutes = new QueryRequest(siteId, java.util.List.of("visitors", "pageviews"), Json.MAPPER.valueToTree("realtime"),
                java.util.List.of("time:minute"), null, null, null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("site_id", siteId);
        out.put("visitors", queries.run(parser.parse(now, site)).results().get(0).metrics().get(0));
        out.put("minutes", queries.run(parser.parse(minutes, site)).results().stream()
                .map(r -> Map.of("minute", r.dimensions().get(0), "visitors", r.metrics().get(0), "pageviews", r.metrics().get(1)))
                .toList());
        ctx.json(out);
    }

    /**
     * Erases a visitor (admin only): the request is stored, then the processor deletes the
     * visitor's profile, trait rows and visits within moments; a GET then answers 404.
     */
    private void erase(Context ctx) {
        auth.requireAdmin(ctx);
        String siteId = ctx.pathParam("id");
        if (sites.find(siteId).isEmpty()) {
            throw ApiException.notFound("unknown_site", "no site '" + siteId + "'");
        }
        String visitor = ctx.pathParam("visitor");
        erasures.request(new io.vantage.model.Erasure(siteId, visitor, System.currentTimeMillis()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("site_id", siteId);
        out.put("visitor_id", visitor);
        out.put("status", "erasing");
        out.put("message", "the profile, trait rows and visits of this visitor are deleted from every store within seconds; "
                + "the raw event topics drop their events when their retention (7 days) ends");
        ctx.status(202).json(out);
    }

    /**
     * A visitor's profile; for the admin also every stored visit with its events (an export of what
     * is held). A read key sees the profile only: visit histories by visitor id are not for shared links.
     */
    private void profile(Context ctx) {
        String siteId = ctx.pathParam("id");
        Site site = auth.requireSiteReader(ctx, siteId);
        if (site == null) {
            throw ApiException.notFound("unknown_site", "no site '" + siteId + "'");
        }
        String visitor = ctx.pathParam("visitor");
        VisitorProfile p = profiles.find(siteId, visitor);
        java.util.List<Map<String, Object>> history = auth.isAdmin(ctx) ? profiles.history(siteId, visitor) : java.util.List.of();
        if ((p == null || p.isEmpty()) && history.isEmpty()) {
            throw ProfileService.notFound(visitor);
        }
        if (p == null) {
            p = VisitorProfile.empty(siteId, visitor);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("site_id", siteId);
        out.put("visitor_id", visitor);
        out.put("first_seen", p.events() == 0 ? null : Instant.ofEpochMilli(p.firstSeen()).toString());
        out.put("last_seen", p.events() == 0 ? null : Instant.ofEpochMilli(p.lastSeen()).toString());
        out.put("first_page", p.firstPage());
        out.put("last_page", p.lastPage());
        out.put("visits", p.visits());
        out.put("events", p.events());
        out.put("pageviews", p.pageviews());
        out.put("conversions", p.conversions());
        Map<String, Object> latest = new LinkedHashMap<>();
        latest.put("started", p.visits() == 0 ? null : Instant.ofEpochMilli(p.latestVisitStart()).toString());
        latest.put("first_page", p.latestVisitFirstPage());
        latest.put("last_page", p.latestVisitLastPage());
        out.put("latest_visit", latest);
        out.put("traits", p.traits());
        // Traits that did not fit the profile's bounds (100 names, 16 Ki characters).
        out.put("traits_dropped", p.traitsDropped());
        if (auth.isAdmin(ctx)) {
            out.put("visit_history", history);
        }
        ctx.json(out);
    }
}
