package io.vantage.model;

import java.util.Map;

/**
 * One validated event as the collector writes it to Kafka and the processor reads it.
 *
 * <p>{@code ts} is the event time (epoch ms, UTC); {@code receivedAt} the collector's clock.
 * {@code client} holds what the collector derived from the client's IP and User-Agent; neither
 * of those is part of an event, so neither reaches Kafka (records of earlier versions that carry
 * them are read with their client unknown: unknown fields are ignored).
 */
public record Event(
        String site,
        EventType type,
        long ts,
        String visitorId,
        String eventId,
        String url,
        String referrer,
        String title,
        String name,
        Map<String, String> props,
        Map<String, String> traits,
        Integer x,
        Integer y,
        String target,
        String elementId,
        String className,
        Integer scrollPct,
        String formId,
        String mediaUrl,
        String downloadUrl,
        String screen,
        String language,
        String timezone,
        Long engagedMs,
        long receivedAt,
        ClientFacts client,
        Ingest ingest) {

    /** The earliest event time accepted (1970-01-02), so every local-time bucket of any zone is after 1970. */
    public static final long MIN_TS = 86_400_000L;
    /**
     * The prefix of an id the collector made up for a live event that named neither its id nor its
     * time: such an event cannot be told from a repeat of itself, so its id is never looked up.
     */
    public static final String GENERATED_ID_PREFIX = "gen:";

    /** Whether this event's id was made up by the collector (see {@link #GENERATED_ID_PREFIX}). */
    public boolean generatedId() {
        return eventId != null && eventId.startsWith(GENERATED_ID_PREFIX);
    }

    /** Which path an event came in by: the live beacon path or a historical import. */
    public enum Ingest { LIVE, IMPORT }

    /** The Kafka record key: events of one visitor of one site share a partition. */
    public String key() {
        return EventKeys.of(site, visitorId);
    }

    /** The client facts, {@link ClientFacts#NONE} when the record carries none. */
    public ClientFacts clientOrNone() {
        return client == null ? ClientFacts.NONE : client;
    }

    /** The URL path without query string or fragment, as sent (case kept); {@code null} without a URL. */
    public String path() {
        return Urls.path(url);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.site = site; b.type = type; b.ts = ts; b.visitorId = visitorId; b.eventId = eventId;
        b.url = url; b.referrer = referrer; b.title = title; b.name = name; b.props = props; b.traits = traits;
        b.x = x; b.y = y; b.target = target; b.elementId = elementId; b.className = className;
        b.scrollPct = scrollPct; b.formId = formId; b.mediaUrl = mediaUrl; b.downloadUrl = downloadUrl;
        b.screen = screen; b.language = language; b.timezone = timezone; b.engagedMs = engagedMs;
        b.receivedAt = receivedAt; b.client = client; b.ingest = ingest;
        return b;
    }

    /** Builds events field by field; used by the collector's validator and by tests. */
    public static final class Builder {
        private String site;
        private EventType type;
        private long ts;
        private String visitorId;
        private String eventId;
        private String url;
        private String referrer;
        private String title;
        private String name;
        private Map<String, String> props;
        private Map<String, String> traits;
        private Integer x;
        private Integer y;
        private String target;
        private String elementId;
        private String className;
        private Integer scrollPct;
        private String formId;
        private String mediaUrl;
        private String downloadUrl;
        private String screen;
        private String language;
        private String timezone;
        private Long engagedMs;
        private long receivedAt;
        private ClientFacts client;
        private Ingest ingest = Ingest.LIVE;

        public Builder site(String v) { site = v; return this; }
        public Builder type(EventType v) { type = v; return this; }
        public Builder ts(long v) { ts = v; return this; }
        public Builder visitorId(String v) { visitorId = v; return this; }
        public Builder eventId(String v) { eventId = v; return this; }
        public Builder url(String v) { url = v; return this; }
        public Builder referrer(String v) { referrer = v; return this; }
        public Builder title(String v) { title = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder props(Map<String, String> v) { props = v; return this; }
        public Builder traits(Map<String, String> v) { traits = v; return this; }
        public Builder x(Integer v) { x = v; return this; }
        public Builder y(Integer v) { y = v; return this; }
        public Builder target(String v) { target = v; return this; }
        public Builder elementId(String v) { elementId = v; return this; }
        public Builder className(String v) { className = v; return this; }
        public Builder scrollPct(Integer v) { scrollPct = v; return this; }
        public Builder formId(String v) { formId = v; return this; }
        public Builder mediaUrl(String v) { mediaUrl = v; return this; }
        public Builder downloadUrl(String v) { downloadUrl = v; return this; }
        public Builder screen(String v) { screen = v; return this; }
        public Builder language(String v) { language = v; return this; }
        public Builder timezone(String v) { timezone = v; return this; }
        public Builder engagedMs(Long v) { engagedMs = v; return this; }
        public Builder receivedAt(long v) { receivedAt = v; return this; }
        public Builder client(ClientFacts v) { client = v; return this; }
        public Builder ingest(Ingest v) { ingest = v; return this; }

        public Event build() {
            return new Event(site, type, ts, visitorId, eventId, url, referrer, title, name, props, traits,
                    x, y, target, elementId, className, scrollPct, formId, mediaUrl, downloadUrl,
                    screen, language, timezone, engagedMs, receivedAt, client, ingest);
        }
    }
}
