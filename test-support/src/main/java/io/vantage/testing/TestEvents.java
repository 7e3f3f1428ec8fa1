package io.vantage.testing;

import io.vantage.model.ClientFacts;
import io.vantage.model.Event;
import io.vantage.model.EventType;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Builders of events with sensible defaults, shared by every test tier. */
public final class TestEvents {
    public static final String SITE = "example";
    public static final String CHROME_UA =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    /** What the collector derives from {@link #CHROME_UA} (from a loopback address: country unknown). */
    public static final ClientFacts CHROME = new ClientFacts("Chrome", "Windows", "desktop", ClientFacts.UNKNOWN, false);
    /** What the collector derives from a crawler's User-Agent. */
    public static final ClientFacts BOT = new ClientFacts("Googlebot", ClientFacts.UNKNOWN, "desktop", ClientFacts.UNKNOWN, true);
    private static final AtomicLong IDS = new AtomicLong();

    private TestEvents() {
    }

    /** A live event of {@code type} at {@code ts}, received at the same instant. */
    public static Event.Builder event(EventType type, String visitor, long ts) {
        return Event.builder()
                .site(SITE)
                .type(type)
                .ts(ts)
                .receivedAt(ts)
                .visitorId(visitor)
                .eventId("e" + IDS.incrementAndGet())
                .client(CHROME)
                .url("https://example.com/")
                .ingest(Event.Ingest.LIVE);
    }

    public static Event.Builder pageview(String visitor, long ts, String path) {
        return event(EventType.PAGEVIEW, visitor, ts).url("https://example.com" + path);
    }

    /** The Kafka record the collector would write for {@code e}: receive time as timestamp, event time in the binary event. */
    public static org.apache.kafka.streams.test.TestRecord<String, byte[]> record(Event e) {
        return new org.apache.kafka.streams.test.TestRecord<>(e.key(),
                io.vantage.model.Topics.EVENT_SERDE.serializer().serialize(io.vantage.model.Topics.EVENTS, e),
                new org.apache.kafka.common.header.internals.RecordHeaders(), Instant.ofEpochMilli(e.receivedAt()));
    }

    public static long at(String isoInstant) {
        return Instant.parse(isoInstant).toEpochMilli();
    }
}
