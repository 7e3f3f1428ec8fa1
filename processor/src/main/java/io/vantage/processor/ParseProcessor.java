package io.vantage.processor;

import io.vantage.store.ProcessingListener;
import io.vantage.model.BadEvent;
import io.vantage.model.Event;
import io.vantage.model.Site;
import io.vantage.model.Stores;
import io.vantage.model.Topics;
import io.vantage.processor.enrich.EnrichedEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns raw records into events of a known site; a poison pill goes to the bad-events topic with
 * its reason instead of stopping the stream. An event of a site the global store does not hold
 * yet (the collector accepted it, so the site existed there: it was created a moment ago) waits
 * in {@link Stores#AWAITING_SITE} and is counted once the site arrives; only after
 * {@link #AWAIT_SITE_MS} without it is it an {@code unknown_site} bad event.
 */
final class ParseProcessor implements Processor<String, byte[], String, Object> {
    private final ProcessingListener listener;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, Site> sites;
    // A global-store read costs a serialization and a few wrappers per event; sites change rarely,
    // so each is read again at most once a second (a change reaches events a second later).
    private final java.util.Map<String, Site> siteCache = new java.util.HashMap<>();
    private long siteCacheReadAt = Long.MIN_VALUE;
    private static final long SITE_CACHE_MS = 1_000;
    static final long AWAIT_SITE_MS = 5 * 60_000;
    /** More waiting events than this (a deleted site under traffic) go to the bad topic at once. */
    static final int MAX_AWAITING = 100_000;
    private KeyValueStore<Bytes, byte[]> awaiting;
    private int awaitingCount;

    ParseProcessor(ProcessingListener listener) {
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.sites = context.getStateStore(Stores.SITES);
        this.awaiting = context.getStateStore(Stores.AWAITING_SITE);
        try (KeyValueIterator<Bytes, byte[]> it = awaiting.all()) {
            while (it.hasNext()) {
                it.next();
                awaitingCount++;
            }
        }
        context.schedule(java.time.Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::retryAwaiting);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        String topic = meta == null ? "" : meta.topic();
        if (meta != null) {
            listener.onInput(meta.topic(), meta.partition(), meta.offset(), record.timestamp());
        }
        Event event = parse(record, topic);
        if (event == null) {
            return;
        }
        Site site = site(event.site());
        if (site == null) {
            if (awaitingCount >= MAX_AWAITING) {
                bad(record, "unknown_site", "site", "no site '" + event.site() + "'", event.site());
                return;
            }
            awaiting.put(awaitingKey(meta), awaitingValue(record, topic));
            awaitingCount++;
            return;
        }
        context.forward(record.withValue(EnrichedEvent.of(event, site)), VantageTopology.ENRICH);
    }

    /** The awaiting events whose site has arrived go on; those that waited too long are bad events. */
    private void retryAwaiting(long now) {
        if (awaitingCount == 0) {
            return;
        }
        List<Bytes> done = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = awaiting.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                ByteBuffer k = ByteBuffer.wrap(kv.key.get());
                long since = k.getLong();
                ByteBuffer v = ByteBuffer.wrap(kv.value);
                long timestamp = v.getLong();
                byte[] key = new byte[v.getInt()];
                v.get(key);
                byte[] topicName = new byte[v.getInt()];
                v.get(topicName);
                byte[] value = new byte[v.remaining()];
                v.get(value);
                Record<String, byte[]> record = new Record<>(new String(key, StandardCharsets.UTF_8), value, timestamp);
                String topic = new String(topicName, StandardCharsets.UTF_8);
                Event event = Topics.EVENT_SERDE.deserializer().deserialize(topic, value);
                Site site = sites.get(event.site());
                if (site != null) {
                    context.forward(record.withValue(EnrichedEvent.of(event, site)), VantageTopology.ENRICH);
                    done.add(kv.key);
                } else if (now - since > AWAIT_SITE_MS) {
                    bad(record, "unknown_site", "site", "no site '" + event.site() + "' (waited "
                            + AWAIT_SITE_MS / 60_000 + " minutes for it)", event.site());
                    done.add(kv.key);
                }
            }
        }
        done.forEach(awaiting::delete);
        awaitingCount -= done.size();
    }

    private Bytes awaitingKey(RecordMetadata meta) {
        // Arrival order; topic and offset make the key unique within the task.
        byte[] topic = meta == null ? new byte[0] : meta.topic().getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(16 + topic.length).putLong(context.currentSystemTimeMs())
                .putLong(meta == null ? System.nanoTime() : meta.offset()).put(topic).array());
    }

    private static byte[] awaitingValue(Record<String, byte[]> record, String topic) {
        byte[] key = record.key() == null ? new byte[0] : record.key().getBytes(StandardCharsets.UTF_8);
        byte[] topicName = topic.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(16 + key.length + topicName.length + record.value().length).putLong(record.timestamp())
                .putInt(key.length).put(key).putInt(topicName.length).put(topicName).put(record.value()).array();
    }

    /** The event of a record, or null when it went to the bad topic. */
    private Event parse(Record<String, byte[]> record, String topic) {
        Event event;
        try {
            event = Topics.EVENT_SERDE.deserializer().deserialize(topic, record.value());
        } catch (SerializationException | IllegalArgumentException e) {
            bad(record, "unparseable", null, e.getMessage(), null);
            return null;
        }
        if (event == null) {
            bad(record, "unparseable", null, "empty record", null);
            return null;
        }
        String missing = event.site() == null ? "site" : event.type() == null ? "type"
                : event.visitorId() == null ? "visitor_id" : event.eventId() == null ? "event_id" : null;
        if (missing != null) {
            bad(record, "invalid_field", missing, missing + " is required", event.site());
            return null;
        }
        // The collector accepts nothing earlier; this guards records from other producers.
        if (event.ts() < Event.MIN_TS) {
            bad(record, "invalid_field", "ts", "event time before 1970-01-02", event.site());
            return null;
        }
        return event;
    }

    private Site site(String id) {
        long now = context.currentSystemTimeMs();
        if (now - siteCacheReadAt > SITE_CACHE_MS) {
            siteCache.clear();
            siteCacheReadAt = now;
        }
        Site site = siteCache.get(id);
        if (site == null) {
            site = sites.get(id);
            if (site != null) {
                siteCache.put(id, site);
            }
        }
        return site;
    }

    private void bad(Record<String, byte[]> record, String reason, String field, String message, String site) {
        listener.onBad(reason);
        String raw = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
        long now = context.currentSystemTimeMs();
        BadEvent bad = new BadEvent(reason, field, message, raw, site, now, "processor");
        // The bad topic keeps receive time as record time so retention never eats old input.
        context.forward(new Record<String, Object>(record.key(), bad, now), VantageTopology.BAD_SINK);
    }
}
