package io.vantage.processor;

import io.vantage.model.Event;
import io.vantage.model.Stores;
import io.vantage.processor.enrich.EnrichedEvent;
import java.time.Duration;
import io.vantage.model.codec.RecordWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts each {@code event_id} of a site once, for the events that are not counted into visits
 * ({@code identify}) and those timed by their receipt ({@link #timedByReceipt}). A repeat of any
 * other counted event is recognized by the visit processor, which finds it among the ids of the
 * visit it belongs to (visits keep their events' ids), so counting such an event costs no write of
 * its id of its own.
 *
 * <p>Ids are remembered here by the UTC day they were received (key: day as 4 bytes, site, 0, event
 * id), so expiring old ids is one range scan over the oldest days; a repeat is looked up in every
 * remembered day. A repeat of an event lands on the same partition because the key is site and
 * visitor. Before visits kept ids, every event's id was remembered here: the visit processor still
 * looks an event up here ({@link #remembered}) when a visit it joins holds events stored before
 * then ({@code VisitRecord.idsUnknown}), until those ids expire.
 */
final class DedupProcessor implements Processor<String, EnrichedEvent, String, EnrichedEvent> {
    private static final long DAY_MS = Duration.ofDays(1).toMillis();
    private static final byte[] PRESENT = {1};
    private final TopologyConfig config;
    private final int daysKept;
    private ProcessorContext<String, EnrichedEvent> context;
    private KeyValueStore<Bytes, byte[]> ids;

    DedupProcessor(TopologyConfig config) {
        this.config = config;
        this.daysKept = daysKept(config);
    }

    /** How many received days of ids are kept: the dedup window, rounded up, and the day under way. */
    static int daysKept(TopologyConfig config) {
        return (int) Math.max(2, (config.dedupWindow().toMillis() + DAY_MS - 1) / DAY_MS + 1);
    }

    /**
     * Whether the event's time is the time it was received: it came without a client time, or with
     * one the {@code sent_at} correction could not use. Its retry then gets the retry's own receipt
     * time and may join another visit than its first copy, so its id is remembered here too.
     */
    static boolean timedByReceipt(Event event) {
        return event.ts() == event.receivedAt();
    }

    /** Whether the id of {@code event} is remembered in {@code ids} from any of the last {@code daysKept} received days. */
    static boolean remembered(KeyValueStore<Bytes, byte[]> ids, Event event, int daysKept) {
        long day = Math.floorDiv(event.receivedAt(), DAY_MS);
        for (long d = day; d > day - daysKept; d--) {
            if (ids.get(key(d, event)) != null) {
                return true;
            }
        }
        return false;
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
        if (event.generatedId() || (event.type().countsAsEvent() && !timedByReceipt(event))) {
            // An id the collector made up is new each time the event arrives: nothing to look up or
            // remember. A counted event's repeat is found in its visit (VisitProcessor).
            context.forward(record);
            return;
        }
        if (remembered(ids, event, daysKept)) {
            config.listener().onDropped("duplicate");
            return;
        }
        ids.put(key(Math.floorDiv(event.receivedAt(), DAY_MS), event), PRESENT);
        context.forward(record);
    }

    private void expire(long now) {
        long oldestKept = Math.floorDiv(now, DAY_MS) - daysKept + 1;
        Bytes bound = Bytes.wrap(new RecordWriter(4).i32((int) oldestKept).toBytes());
        List<Bytes> expired = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = ids.range(Bytes.wrap(new byte[4]), bound)) {
            while (it.hasNext()) {
                Bytes k = it.next().key;
                if (k.compareTo(bound) < 0) {
                    expired.add(k);
                }
            }
        }
        expired.forEach(ids::delete);
    }

    private static Bytes key(long day, Event event) {
        return Bytes.wrap(new RecordWriter(48).i32((int) day).raw(event.site().getBytes(StandardCharsets.UTF_8)).u8(0)
                .raw(event.eventId().getBytes(StandardCharsets.UTF_8)).toBytes());
    }
}
