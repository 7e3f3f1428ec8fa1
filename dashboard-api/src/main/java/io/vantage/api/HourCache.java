package io.vantage.api;

import io.vantage.store.VisitRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decoded visits of one partition's site-hour, kept between queries until the processor writes a
 * visit of that hour again (the visit-hours store's version) or restarts the task (its epoch). A
 * 30-day query then decodes only the hours that changed since the last one, usually the current
 * hour. Least recently used hours are dropped beyond a budget of events (about 400 bytes of heap
 * per decoded event, so by default a thirty-second of the heap: the pre-aggregates and tables of
 * {@link Summaries} take three eighths, and the general path serves only what they cannot).
 */
final class HourCache {
    /** One decoded hour, valid for one epoch and version. */
    record Hour(long epoch, long version, List<VisitRecord> visits, long events) {
    }

    private record Key(int partition, String site, long hour) {
    }

    private final long maxEvents;
    private long events;
    private final LinkedHashMap<Key, Hour> hours = new LinkedHashMap<>(1024, 0.75f, true);

    HourCache(long maxEvents) {
        this.maxEvents = maxEvents;
    }

    static HourCache sizedToHeap() {
        return new HourCache(Math.max(100_000, Runtime.getRuntime().maxMemory() / 32 / 400));
    }

    synchronized Hour get(int partition, String site, long hour, long epoch, long version) {
        Hour h = hours.get(new Key(partition, site, hour));
        return h != null && h.epoch() == epoch && h.version() == version ? h : null;
    }

    synchronized void put(int partition, String site, long hour, Hour h) {
        Hour old = hours.put(new Key(partition, site, hour), h);
        events += h.events() + 1 - (old == null ? 0 : old.events() + 1);
        var it = hours.entrySet().iterator();
        while (events > maxEvents && it.hasNext()) {
            Map.Entry<Key, Hour> eldest = it.next();
            events -= eldest.getValue().events() + 1;
            it.remove();
        }
    }
}
