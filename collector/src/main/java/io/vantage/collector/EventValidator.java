package io.vantage.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.vantage.collector.client.ClientClassifier;
import io.vantage.model.ClientFacts;
import io.vantage.model.Event;
import io.vantage.model.EventType;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Turns one JSON event into a valid {@link Event} stamped with server facts, or names the field
 * that is wrong. Live beacons may carry {@code sent_at} (the client's clock when sending): the
 * event time is then corrected for the client's clock skew as receive time minus the time the
 * event waited on the client.
 */
final class EventValidator {
    static final int MAX_ID = 128;
    static final int MAX_URL = 4096;
    static final int MAX_TEXT = 1024;
    static final int MAX_MAP_ENTRIES = 50;
    /** How far in the future a (corrected) live event time may be, for clock noise. */
    static final long MAX_FUTURE_MS = 60_000;
    /** How far in the future an imported event may be. */
    static final long MAX_IMPORT_FUTURE_MS = 86_400_000L;
    /**
     * How far in the past a (corrected) live event time may be: within the processor's memory of
     * event ids and the cookieless salts' life, so a retry is never counted twice. Older events
     * are a 400 before the 202 (never accepted and then dropped); {@code /api/import} takes them.
     */
    static final long MAX_LIVE_AGE_MS = 86_400_000L;

    private final CookielessIds cookieless;
    private final ClientClassifier clients;

    EventValidator(CookielessIds cookieless, ClientClassifier clients) {
        this.cookieless = cookieless;
        this.clients = clients;
    }

    /** The client facts of a live request: one classification for every event of its batch. */
    ClientFacts liveClient(RequestFacts facts) {
        return clients.classify(facts.ip(), facts.userAgent());
    }

    /**
     * A valid event of {@code node}. A live event takes {@code liveClient} (from
     * {@link #liveClient}); an import line names its own client, classified here.
     */
    Event validate(JsonNode node, RequestFacts facts, Event.Ingest ingest, ClientFacts liveClient) throws InvalidEventException {
        if (node == null || !node.isObject()) {
            throw new InvalidEventException("event", "must be a JSON object");
        }
        String site = text(node, "site", MAX_ID, true);
        String typeName = text(node, "type", 32, true);
        EventType type = EventType.fromWire(typeName).orElseThrow(() ->
                new InvalidEventException("type", "unknown type '" + typeName + "'; one of " + EventType.wireNames()));
        // An import names the log's client host (an address or a host name) as "ip".
        String ip = ingest == Event.Ingest.IMPORT ? text(node, "ip", 255, false) : facts.ip();
        String userAgent = ingest == Event.Ingest.IMPORT ? text(node, "user_agent", MAX_TEXT, false) : facts.userAgent();

        long ts = eventTime(node, facts.receivedAt(), ingest);
        Event.Builder b = Event.builder()
                .site(site)
                .type(type)
                .ts(ts)
                .url(text(node, "url", MAX_URL, type == EventType.PAGEVIEW))
                .referrer(text(node, "referrer", MAX_URL, false))
                .title(text(node, "title", MAX_TEXT, false))
                .name(text(node, "name", 256, type == EventType.CUSTOM))
                .props(map(node, "props"))
                .traits(map(node, "traits"))
                .x(integer(node, "x", Integer.MIN_VALUE, Integer.MAX_VALUE))
                .y(integer(node, "y", Integer.MIN_VALUE, Integer.MAX_VALUE))
                .target(text(node, "target", MAX_TEXT, false))
                .elementId(text(node, "element_id", MAX_TEXT, false))
                .className(text(node, "class_name", MAX_TEXT, false))
                .scrollPct(integer(node, "scroll_pct", 0, 100))
                .formId(text(node, "form_id", MAX_TEXT, false))
                .mediaUrl(text(node, "media_url", MAX_URL, false))
                .downloadUrl(text(node, "download_url", MAX_URL, false))
                .screen(text(node, "screen", 32, false))
                .language(text(node, "language", 64, false))
                .timezone(text(node, "timezone", 64, false))
                .engagedMs(longValue(node, "engaged_ms", 0, 86_400_000L))
                .receivedAt(facts.receivedAt())
                // IP and User-Agent are used here, in memory, and dropped: only what they tell is kept.
                .client(ingest == Event.Ingest.IMPORT ? clients.classify(ip, userAgent) : liveClient)
                .ingest(ingest);
        if (type == EventType.IDENTIFY && (node.get("traits") == null || node.get("traits").isEmpty())) {
            throw new InvalidEventException("traits", "an identify event needs at least one trait");
        }
        String visitor = text(node, "visitor_id", MAX_ID, false);
        if (visitor == null) {
            if (ip == null) {
                throw new InvalidEventException("visitor_id", ingest == Event.Ingest.IMPORT
                        ? "is required when the line names no client (ip)" : "is required when the client IP is unknown");
            }
            // A log's host is a visitor across all the days of the log: a keyed hash that lasts; a
            // live visitor without an id gets the daily cookieless hash.
            // A live retry after midnight keeps its id: the salt is the one of the event's day.
            visitor = ingest == Event.Ingest.IMPORT ? cookieless.importVisitorId(site, ip, userAgent)
                    : cookieless.visitorId(site, ip, userAgent, ts, facts.receivedAt());
        }
        return b.visitorId(visitor).eventId(eventId(node, ingest, visitor)).build();
    }

    /**
     * The event's id: its own, or for an import line and a live event that names its time a hash
     * of the visitor and the event as sent, so the same event sent twice (a retry after a 503 or a
     * lost answer) is counted once; a live event without id and time is new each time it arrives.
     */
    private static String eventId(JsonNode node, Event.Ingest ingest, String visitor) throws InvalidEventException {
        String own = text(node, "event_id", MAX_ID, false);
        if (own != null) {
            return own;
        }
        if (ingest == Event.Ingest.IMPORT) {
            return "import:" + java.util.HexFormat.of().formatHex(sha256(node.toString()), 0, 16);
        }
        if (node.hasNonNull("ts")) {
            return "sent:" + java.util.HexFormat.of().formatHex(sha256(visitor + '\n' + node), 0, 16);
        }
        return Event.GENERATED_ID_PREFIX + UUID.randomUUID();
    }

    private static long eventTime(JsonNode node, long receivedAt, Event.Ingest ingest) throws InvalidEventException {
        Long ts = timestamp(node, "ts");
        if (ts != null && ts < Event.MIN_TS) {
            throw new InvalidEventException("ts", "is before 1970-01-02 (" + Instant.ofEpochMilli(ts) + ")");
        }
        if (ingest == Event.Ingest.IMPORT) {
            if (ts == null) {
                throw new InvalidEventException("ts", "is required for imports");
            }
            if (ts > receivedAt + MAX_IMPORT_FUTURE_MS) {
                throw new InvalidEventException("ts", "is more than a day in the future (" + Instant.ofEpochMilli(ts) + ")");
            }
            return ts;
        }
        if (ts == null) {
            return receivedAt;
        }
        Long sentAt = timestamp(node, "sent_at");
        long corrected = sentAt == null ? ts : receivedAt - Math.max(0, sentAt - ts);
        if (corrected > receivedAt + MAX_FUTURE_MS) {
            throw new InvalidEventException("ts", "is in the future (" + Instant.ofEpochMilli(ts)
                    + "); send epoch milliseconds of the event, or sent_at to correct a wrong client clock");
        }
        if (corrected < receivedAt - MAX_LIVE_AGE_MS) {
            throw new InvalidEventException("ts", "is more than 24 hours before the event was received"
                    + (sentAt == null ? "" : " (after the sent_at correction)") + "; send older events to /api/import");
        }
        return corrected;
    }

    private static Long timestamp(JsonNode node, String field) throws InvalidEventException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0) {
            return v.asLong();
        }
        if (v.isTextual()) {
            try {
                return OffsetDateTime.parse(v.asText()).toInstant().toEpochMilli();
            } catch (DateTimeException | ArithmeticException e) {
                try {
                    return Instant.parse(v.asText()).toEpochMilli();
                } catch (DateTimeException | ArithmeticException e2) {
                    // fall through to the error below (a year like +300000000 overflows epoch milliseconds)
                }
            }
        }
        throw new InvalidEventException(field, "must be epoch milliseconds (a non-negative integer) or an ISO-8601 timestamp");
    }

    private static String text(JsonNode node, String field, int max, boolean required) throws InvalidEventException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
            if (required) {
                throw new InvalidEventException(field, "is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidEventException(field, "must be a string");
        }
        String s = v.asText();
        if (s.length() > max) {
            throw new InvalidEventException(field, "is longer than " + max + " characters");
        }
        return s;
    }

    private static Integer integer(JsonNode node, String field, int min, int max) throws InvalidEventException {
        Long v = longValue(node, field, min, max);
        return v == null ? null : v.intValue();
    }

    private static Long longValue(JsonNode node, String field, long min, long max) throws InvalidEventException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || !v.canConvertToLong()) {
            throw new InvalidEventException(field, "must be a number");
        }
        long n = Math.round(v.asDouble());
        if (n < min || n > max) {
            throw new InvalidEventException(field, "must be between " + min + " and " + max);
        }
        return n;
    }

    private static Map<String, String> map(JsonNode node, String field) throws InvalidEventException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new InvalidEventException(field, "must be an object of string values");
        }
        if (v.size() > MAX_MAP_ENTRIES) {
            throw new InvalidEventException(field, "has more than " + MAX_MAP_ENTRIES + " entries");
        }
        Map<String, String> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = e.getValue();
            if (e.getKey().length() > 128 || e.getKey().isEmpty() || e.getKey().indexOf('=') >= 0
                    || !(value.isTextual() || value.isNumber() || value.isBoolean())) {
                throw new InvalidEventException(field + "." + e.getKey(), "must be a string, number or boolean with a name of 1-128 characters without '='");
            }
            String s = value.asText();
            if (s.length() > MAX_TEXT) {
                throw new InvalidEventException(field + "." + e.getKey(), "is longer than " + MAX_TEXT + " characters");
            }
            out.put(e.getKey(), s);
        }
        return out;
    }

    private static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

}
