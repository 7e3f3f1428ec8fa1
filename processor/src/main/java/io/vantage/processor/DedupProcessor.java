package io.vantage.processor;

import io.vantage.model.Event;
import io.vantage.model.Stores;
import io.vantage.processor.enrich.EnrichedEvent;
import java.time.Duration;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts each {@code event_id} of a site once. Ids are remembered by the UTC day they were
 * received, so expiring old ids is one range scan over the oldest days; a repeat is looked up in
 * every remembered day. A repeat of an event lands on the same partition because the key is
 * site and visitor.
 */
final class DedupProcessor implements Processor<String, EnrichedEvent, String, EnrichedEvent> {
    private static final long DAY_MS = Duration.ofDays(1).toMillis();
    private final TopologyConfig config;
    private final int daysKept;
    private ProcessorContext<String, EnrichedEvent> context;
    private KeyValueStore<String, Long> ids;

    DedupProcessor(TopologyConfig config) {
        this.config = config;
        this.daysKept = (int) Math.max(2, (config.dedupWindow().toMillis() + DAY_MS - 1) / DAY_MS + 1);
    }

    @Override
    public void init(ProcessorContext<String, EnrichedEvent> context) {
        this.context = context;
        this.ids = context.getStateStore(Stores.EVENT_IDS);
        context.schedule(Duration.ofMinutes(10), PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(Record<String, EnrichedEvent> record) {
        Event event = record.value().event();
        long day = Math.floorDiv(event.receivedAt(), DAY_MS);
        for (long d = day; d > day - daysKept; d--) {
            if (ids.get(key(d, event)) != null) {
                config.listener().onDropped("duplicate");
                return;
            }
        }
        ids.put(key(day, event), event.ts());
        context.forward(record);
    }

    private void expire(long now) {
        long oldestKept = Math.floorDiv(now, DAY_MS) - daysKept + 1;
        try (KeyValueIterator<String, Long> it = ids.range(pad(0), pad(oldestKept))) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                if (kv.key.compareTo(pad(oldestKept)) < 0) {
                    ids.delete(kv.key);
                }
            }
        }
    }

    private static String key(long day, Event event) {
        return pad(day) + '|' + event.site() + '|' + event.eventId();
    }

    private static String pad(long day) {
        String s = Long.toString(day);
        return "0".repeat(Math.max(0, 6 - s.length())) + s;
    }
}
