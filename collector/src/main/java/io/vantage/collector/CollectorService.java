package io.vantage.collector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.vantage.collector.client.ClientClassifier;
import io.vantage.http.ApiException;
import io.vantage.model.BadEvent;
import io.vantage.model.ClientFacts;
import io.vantage.model.Event;
import io.vantage.model.Json;
import io.vantage.model.Site;
import io.vantage.model.SiteRegistry;
import io.vantage.model.StorageUnavailableException;
import io.vantage.model.Urls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ingestion: validates beacons and imports, stamps server facts, and hands events to the sink.
 * Accepted events are acknowledged only once the sink stored them; rejected input is stored as
 * bad events with the reason, so nothing is lost either way.
 */
public final class CollectorService {
    private final SiteRegistry sites;
    private final EventSink sink;
    private final CollectorConfig config;
    private final EventValidator validator;
    private final CollectorMetrics metrics;
    private final RateLimiter limiter;

    public CollectorService(SiteRegistry sites, EventSink sink, DailySalts salts, CollectorConfig config, MeterRegistry registry) {
        this(sites, sink, salts, config, registry, io.github.bucket4j.TimeMeter.SYSTEM_NANOTIME);
    }

    /** With the clock the rate limits refill by (a test's own). */
    CollectorService(SiteRegistry sites, EventSink sink, DailySalts salts, CollectorConfig config, MeterRegistry registry,
                     io.github.bucket4j.TimeMeter limiterTime) {
        this.limiter = new RateLimiter(config.rateLimits(), config.maxBatchEvents(), limiterTime);
        this.sites = sites;
        this.sink = sink;
        this.config = config;
        this.validator = new EventValidator(new CookielessIds(config.cookielessSecret(), salts), ClientClassifier.standard());
        this.metrics = new CollectorMetrics(registry);
    }

    /**
     * A body refused whole for its shape (a peer's body without its list of events, say), within
     * the rate limits as a beacon is: kept as a bad event naming {@code field}, answered as a
     * request whose first event is invalid.
     */
    public CompletableFuture<CollectResult> refuse(byte[] body, String field, String message, RequestFacts facts) {
        if (body.length > config.maxBodyBytes()) {
            throw new ApiException(413, "too_large", "body is larger than " + config.maxBodyBytes() + " bytes", null);
        }
        limited(() -> limiter.admitAddress(facts.ip(), 1), 1);
        BadEvent bad = new BadEvent("invalid_field", field, message, new String(body, StandardCharsets.UTF_8), null, facts.receivedAt(),
                "collector");
        return store(List.of(), List.of(bad)).thenApply(ignored -> new CollectResult(0, new InvalidEvent(0, field, message)));
    }

    /** The answer to a beacon: how many events were stored, and the first invalid one if any. */
    public record CollectResult(int accepted, InvalidEvent firstInvalid) {
    }

    /** An event that failed validation: its index in the batch, the field and what was wrong. */
    public record InvalidEvent(int index, String field, String message) {
    }

    /** The answer to an import: counts and per-line errors (at most 100). */
    public record ImportResult(int accepted, int rejected, List<LineError> errors) {
    }

    public record LineError(int line, String error) {
    }

    /** The sites beacons are checked against (compatibility routes resolve a peer's site identifiers with it). */
    SiteRegistry sites() {
        return sites;
    }

    public boolean healthy() {
        return sink.healthy();
    }

    /**
     * A beacon body: one event object or an array of them. Within the rate limits, or refused whole
     * with a 429 before anything of it is stored (its retry then counts once).
     */
    public CompletableFuture<CollectResult> collect(byte[] body, RequestFacts facts) {
        if (body.length > config.maxBodyBytes()) {
            throw new ApiException(413, "too_large", "body is larger than " + config.maxBodyBytes() + " bytes", null);
        }
        // One token before parsing, so a flood of garbage is refused as cheaply as a flood of events.
        limited(() -> limiter.admitAddress(facts.ip(), 1), 1);
        JsonNode root = parse(body, facts);
        List<JsonNode> nodes = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(nodes::add);
            if (nodes.size() > config.maxBatchEvents()) {
                throw new ApiException(413, "too_many_events",
                        "a batch holds at most " + config.maxBatchEvents() + " events, this one " + nodes.size(), null);
            }
            if (nodes.isEmpty()) {
                throw ApiException.badRequest("empty_batch", "the batch has no events");
            }
        } else {
            nodes.add(root);
        }
        int more = nodes.size() - 1;
        limited(() -> limiter.admitAddress(facts.ip(), more), nodes.size());
        List<Event> valid = new ArrayList<>();
        List<BadEvent> bad = new ArrayList<>();
        InvalidEvent first = null;
        ClientFacts client = validator.liveClient(facts);
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode node = nodes.get(i);
            try {
                Event e = validator.validate(node, facts, Event.Ingest.LIVE, client);
                checkSiteAndOrigin(e.site(), facts.origin());
                valid.add(e);
            } catch (InvalidEventException e) {
                bad.add(badEvent("invalid_field", e.field(), e.getMessage(), node, facts));
                first = first == null ? new InvalidEvent(i, e.field(), e.getMessage()) : first;
            } catch (ApiException e) {
                bad.add(badEvent(e.code(), "site", e.getMessage(), node, facts));
                if (nodes.size() == 1) {
                    store(List.of(), bad);
                    throw e;
                }
                first = first == null ? new InvalidEvent(i, "site", e.getMessage()) : first;
            }
        }
        admitSites(valid, facts.ip(), nodes.size());
        InvalidEvent firstInvalid = first;
        return store(valid, bad).thenApply(ignored -> new CollectResult(valid.size(), firstInvalid));
    }

    /** Each site's events from its bucket; when one refuses, the tokens already taken go back and the whole request is refused. */
    private void admitSites(List<Event> valid, String ip, int requestEvents) {
        if (valid.isEmpty()) {
            return;
        }
        String only = valid.get(0).site();
        boolean oneSite = true;
        for (int i = 1; i < valid.size() && oneSite; i++) {
            oneSite = only.equals(valid.get(i).site());
        }
        if (oneSite) {
            // A tracker's batch is for one site: one take, nothing to give back.
            try {
                limiter.admitSite(only, valid.size());
            } catch (RateLimiter.RateLimitedException e) {
                limiter.refundAddress(ip, requestEvents);
                metrics.rejected("rate_limited_site", requestEvents);
                throw e;
            }
            return;
        }
        java.util.Map<String, Integer> perSite = new java.util.HashMap<>(2);
        valid.forEach(e -> perSite.merge(e.site(), 1, Integer::sum));
        List<java.util.Map.Entry<String, Integer>> taken = new ArrayList<>(perSite.size());
        for (java.util.Map.Entry<String, Integer> entry : perSite.entrySet()) {
            try {
                limiter.admitSite(entry.getKey(), entry.getValue());
                taken.add(entry);
            } catch (RateLimiter.RateLimitedException e) {
                taken.forEach(t -> limiter.refundSite(t.getKey(), t.getValue()));
                limiter.refundAddress(ip, requestEvents);
                metrics.rejected("rate_limited_site", requestEvents);
                throw e;
            }
        }
    }

    private void limited(Runnable admission, int events) {
        try {
            admission.run();
        } catch (RateLimiter.RateLimitedException e) {
            metrics.rejected("rate_limited_address", events);
            throw e;
        }
    }

    /**
     * The lines of an NDJSON body, split at LF with a CR before it dropped (CRLF files). A scan for
     * the next LF, not {@code split("\\r?\\n")}: the regex tried a match at every character of
     * the body and took a fifth of an import request's time (JFR, a 1-million-line import).
     */
    static List<String> lines(String body) {
        List<String> lines = new ArrayList<>();
        int from = 0;
        while (from < body.length()) {
            int lf = body.indexOf('\n', from);
            int end = lf < 0 ? body.length() : lf;
            lines.add(body.substring(from, end > from && body.charAt(end - 1) == '\r' ? end - 1 : end));
            from = end + 1;
        }
        return lines;
    }

    /** An NDJSON import: one event per line, any event time, site from the line or {@code defaultSite}. */
    public CompletableFuture<ImportResult> importNdjson(byte[] body, String defaultSite, RequestFacts facts) {
        if (body.length > config.maxImportBytes()) {
            throw new ApiException(413, "too_large", "import body is larger than " + config.maxImportBytes()
                    + " bytes; split it into several requests", null);
        }
        if (defaultSite != null && sites.find(defaultSite).isEmpty()) {
            throw new ApiException(404, "unknown_site", "no site '" + defaultSite + "'; create it with POST /api/sites", "site");
        }
        List<Event> valid = new ArrayList<>();
        List<BadEvent> bad = new ArrayList<>();
        List<LineError> errors = new ArrayList<>();
        List<String> lines = lines(new String(body, StandardCharsets.UTF_8));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String reason = "invalid_field";
            String field = null;
            String message;
            try {
                JsonNode node = Json.MAPPER.readTree(line);
                if (node instanceof ObjectNode object && defaultSite != null && !object.hasNonNull("site")) {
                    object.put("site", defaultSite);
                }
                Event e = validator.validate(node, facts, Event.Ingest.IMPORT, null);
                if (sites.find(e.site()).isEmpty()) {
                    reason = "unknown_site";
                    field = "site";
                    message = "no site '" + e.site() + "'";
                } else {
                    valid.add(e);
                    continue;
                }
            } catch (JsonProcessingException e) {
                reason = "unparseable";
                message = "not JSON: " + e.getOriginalMessage();
            } catch (InvalidEventException e) {
                field = e.field();
                message = e.getMessage();
            }
            bad.add(new BadEvent(reason, field, message, line, defaultSite, facts.receivedAt(), "collector"));
            if (errors.size() < 100) {
                errors.add(new LineError(i + 1, message));
            }
        }
        return store(valid, bad).thenApply(ignored -> new ImportResult(valid.size(), bad.size(), errors));
    }

    private void checkSiteAndOrigin(String siteId, String origin) {
        Site site = sites.find(siteId).orElseThrow(() ->
                new ApiException(404, "unknown_site", "no site '" + siteId + "'; create it with POST /api/sites", "site"));
        if (origin != null && !allows(site, origin)) {
            throw new ApiException(403, "forbidden_origin", "origin '" + origin + "' is not allowed for site '" + siteId + "'", "site");
        }
    }

    /** Whether a page of {@code origin} may send beacons to {@code site}: any page when it lists no domains. */
    static boolean allows(Site site, String origin) {
        if (site.allowedDomains().isEmpty()) {
            return true;
        }
        String host = Urls.host(origin);
        return host != null && site.allowedDomains().stream().anyMatch(d -> host.equals(d) || host.endsWith("." + d));
    }

    /**
     * Whether browsers may send beacons from {@code origin} at all (CORS): when some site takes
     * beacons from any page, or lists the origin's domain. A page no site accepts gets no CORS grant.
     */
    public boolean acceptsOrigin(String origin) {
        if (origin == null) {
            return true;
        }
        // Asked on every browser beacon: the answer per origin is kept for a second (a site change
        // reaches CORS a second later), not recomputed over every site each time.
        long now = System.currentTimeMillis();
        if (now - originGrantsAt > ORIGIN_GRANTS_MS || originGrants.size() > 10_000) {
            originGrants.clear();
            originGrantsAt = now;
        }
        return originGrants.computeIfAbsent(origin, o -> sites.all().stream().anyMatch(site -> allows(site, o)));
    }

    private static final long ORIGIN_GRANTS_MS = 1_000;
    private final java.util.Map<String, Boolean> originGrants = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long originGrantsAt;

    private JsonNode parse(byte[] body, RequestFacts facts) {
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            if (root == null || !(root.isObject() || root.isArray())) {
                throw new IOException("expected a JSON object or array");
            }
            return root;
        } catch (IOException e) {
            String raw = new String(body, StandardCharsets.UTF_8);
            store(List.of(), List.of(new BadEvent("unparseable", null, e.getMessage(), raw, null, facts.receivedAt(), "collector")));
            throw ApiException.badRequest("invalid_json", "the body is not a JSON event or array of events: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    private static BadEvent badEvent(String reason, String field, String message, JsonNode node, RequestFacts facts) {
        String site = node != null && node.hasNonNull("site") ? node.get("site").asText() : null;
        return new BadEvent(reason, field, message, String.valueOf(node), site, facts.receivedAt(), "collector");
    }

    /** Stores valid and bad events; completes when both are acknowledged, fails with a 503 cause otherwise. */
    private CompletableFuture<Void> store(List<Event> valid, List<BadEvent> bad) {
        if (!sink.accepting()) {
            metrics.rejected("unavailable", valid.size());
            return CompletableFuture.failedFuture(new StorageUnavailableException("Kafka is not acknowledging events; retry later"));
        }
        long start = System.nanoTime();
        CompletableFuture<Void> events = valid.isEmpty() ? CompletableFuture.completedFuture(null) : sink.send(valid);
        CompletableFuture<Void> rejects = bad.isEmpty() ? CompletableFuture.completedFuture(null) : sink.sendBad(bad);
        Duration timeout = config.produceTimeout().plusSeconds(1);
        CompletableFuture<Void> both = bad.isEmpty() ? events : valid.isEmpty() ? rejects : CompletableFuture.allOf(events, rejects);
        return both
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, error) -> {
                    if (error != null) {
                        metrics.rejected("unavailable", valid.size());
                        throw new StorageUnavailableException("Kafka did not acknowledge the events in time; retry later", error);
                    }
                    metrics.produced(Duration.ofNanos(System.nanoTime() - start));
                    metrics.accepted(valid.size());
                    bad.forEach(b -> metrics.rejected(b.reason(), 1));
                    return null;
                });
    }
}
