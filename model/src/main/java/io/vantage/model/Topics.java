package io.vantage.model;

import io.vantage.model.codec.EventCodec;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import java.util.Map;

/**
 * The catalogue of topics, shared by the collector, processor, API and tests.
 *
 * <p>Every event topic is keyed by {@link EventKeys} and carries the receive time as record
 * timestamp, so retention never deletes an imported 1995 log; the event time travels in the
 * binary payload (the {@link #EVENT_TIME_HEADER} header carried it for the JSON events of earlier versions).
 */
public final class Topics {
    /** Live beacons from browsers and servers. */
    public static final String EVENTS = "vantage.events";
    /** Historical imports (any {@code ts}); same format and keying as {@link #EVENTS}. */
    public static final String IMPORTS = "vantage.imports";
    /** Input that could not be counted, as {@link BadEvent}. */
    public static final String BAD_EVENTS = "vantage.events.bad";
    /**
     * Records the topology failed on, as they were read, with the exception in headers (Kafka
     * Streams' dead-letter queue): processing goes on and nothing is lost.
     */
    public static final String DEAD_LETTERS = "vantage.events.dlq";
    /**
     * Requests to erase a visitor ({@link Erasure}), keyed like the events and with as many
     * partitions, so each reaches the task holding that visitor. Kept a day longer than the raw
     * event topics, so a rebuild from those topics replays the erasure after the events it erases.
     */
    public static final String ERASURES = "vantage.erasures";
    /** How long erasure requests are kept: a day more than the raw event topics. */
    public static final long ERASURES_RETENTION_MS = 8L * 24 * 3600 * 1000;
    /** Compacted: site id → {@link Site}; a tombstone deletes a site. */
    public static final String SITES = "vantage.sites";

    /**
     * The daily cookieless salts: key the UTC day ({@code 2026-12-02}), value 32 random bytes; the
     * first record of a day wins. Not compacted: deleted by retention two days after a salt is made.
     */
    public static final String SALTS = "vantage.salts";
    /** How long a salt is kept after it was made. */
    /** The most the bad-events and dead-letter topics keep; the oldest segments go first. */
    public static final long BAD_TOPIC_MAX_BYTES = 1L << 30;
    public static final long SALT_RETENTION_MS = 2L * 24 * 3600 * 1000;

    /** Header holding the event time as 8 big-endian bytes, read by the processor's timestamp extractor. */
    public static final String EVENT_TIME_HEADER = "vantage-ts";

    /** Events on {@link #EVENTS} and {@link #IMPORTS}: the versioned binary {@link EventCodec} (JSON of earlier versions read too). */
    public static final Serde<Event> EVENT_SERDE = new EventCodec();
    public static final JsonSerde<BadEvent> BAD_EVENT_SERDE = new JsonSerde<>(BadEvent.class);
    public static final JsonSerde<Erasure> ERASURE_SERDE = new JsonSerde<>(Erasure.class);
    public static final JsonSerde<Site> SITE_SERDE = new JsonSerde<>(Site.class);

    private Topics() {
    }

    /** A topic to create before anything starts (a missing sink topic stalls Streams silently). */
    public record Spec(String name, int partitions, Map<String, String> configs) {
    }

    /** Every topic Vantage needs; event topics share one partition count so they are co-partitioned. */
    public static List<Spec> all(int eventPartitions) {
        return List.of(
                new Spec(EVENTS, eventPartitions, Map.of("retention.ms", String.valueOf(7L * 24 * 3600 * 1000))),
                new Spec(IMPORTS, eventPartitions, Map.of("retention.ms", String.valueOf(7L * 24 * 3600 * 1000))),
                new Spec(ERASURES, eventPartitions, Map.of("retention.ms", String.valueOf(ERASURES_RETENTION_MS))),
                // Capped by bytes too (1 GiB, in 64 MiB segments), so hostile input cannot fill the disk.
                new Spec(BAD_EVENTS, 1, Map.of("retention.ms", String.valueOf(30L * 24 * 3600 * 1000),
                        "retention.bytes", String.valueOf(BAD_TOPIC_MAX_BYTES), "segment.bytes", String.valueOf(64 << 20))),
                new Spec(DEAD_LETTERS, 1, Map.of("retention.ms", String.valueOf(30L * 24 * 3600 * 1000),
                        "retention.bytes", String.valueOf(BAD_TOPIC_MAX_BYTES), "segment.bytes", String.valueOf(64 << 20))),
                new Spec(SITES, 1, Map.of("cleanup.policy", "compact")),
                // Hourly segments, so retention deletes a salt within about an hour of its two days.
                new Spec(SALTS, 1, Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(SALT_RETENTION_MS),
                        "segment.ms", String.valueOf(3600L * 1000))));
    }
}
