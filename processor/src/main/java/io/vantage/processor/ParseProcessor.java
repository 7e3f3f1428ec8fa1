package io.vantage.processor;

import io.vantage.store.ProcessingListener;
import io.vantage.model.BadEvent;
import io.vantage.model.Event;
import io.vantage.model.Site;
import io.vantage.model.Stores;
import io.vantage.model.Topics;
import io.vantage.processor.enrich.EnrichedEvent;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns raw records into events of a known site; a poison pill or an event of an unknown site goes
 * to the bad-events topic with its reason instead of stopping the stream.
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

    ParseProcessor(ProcessingListener listener) {
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.sites = context.getStateStore(Stores.SITES);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        String topic = meta == null ? "" : meta.topic();
        if (meta != null) {
            listener.onInput(meta.topic(), meta.partition(), meta.offset(), record.timestamp());
        }
        Event event;
        try {
            event = Topics.EVENT_SERDE.deserializer().deserialize(topic, record.value());
        } catch (SerializationException | IllegalArgumentException e) {
            bad(record, "unparseable", null, e.getMessage(), null);
            return;
        }
        if (event == null) {
            bad(record, "unparseable", null, "empty record", null);
            return;
        }
        String missing = event.site() == null ? "site" : event.type() == null ? "type"
                : event.visitorId() == null ? "visitor_id" : event.eventId() == null ? "event_id" : null;
        if (missing != null) {
            bad(record, "invalid_field", missing, missing + " is required", event.site());
            return;
        }
        // The collector accepts nothing earlier; this guards records from other producers.
        if (event.ts() < Event.MIN_TS) {
            bad(record, "invalid_field", "ts", "event time before 1970-01-02", event.site());
            return;
        }
        Site site = site(event.site());
        if (site == null) {
            bad(record, "unknown_site", "site", "no site '" + event.site() + "'", event.site());
            return;
        }
        context.forward(record.withValue(EnrichedEvent.of(event, site)), VantageTopology.ENRICH);
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
