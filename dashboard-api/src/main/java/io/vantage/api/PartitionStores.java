package io.vantage.api;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The read side of one partition's stores (io.vantage.store.StoreKeys describes their keys);
 * {@code hours} (the visit-hours versions) and {@code cache} may be null: every hour is then read
 * from the visits store; {@code changes} (the visit-changes ring) may be null: a kept hour that
 * changed is then read again whole.
 */
public record PartitionStores(int partition, ReadOnlyKeyValueStore<Bytes, byte[]> visits, ReadOnlyKeyValueStore<Bytes, byte[]> traits,
                              ReadOnlyKeyValueStore<Bytes, byte[]> spans, ReadOnlyKeyValueStore<Bytes, byte[]> hours,
                              ReadOnlyKeyValueStore<Bytes, byte[]> changes, HourCache cache) {

    /**
     * The visits of {@code site} starting in {@code hour} written after version {@code from} up
     * to {@code to} (the hour's versions of one epoch): each key with its value as last written
     * (null: deleted); null when the ring no longer holds every write in between (the hour is then
     * read again whole). One range of the ring, not a read per visit.
     */
    java.util.Map<Bytes, byte[]> changedSince(String site, long hour, long from, long to) {
        int slots = io.vantage.store.StoreKeys.CHANGE_SLOTS;
        if (changes == null || to - from > slots || to - from < 0) {
            return null;
        }
        Bytes hourKey = io.vantage.store.StoreKeys.visitHour(site, hour);
        java.util.Map<Bytes, byte[]> out = new java.util.LinkedHashMap<>();
        long next = from + 1;
        // The slots of versions from + 1 to 'to' are one range, or two where they wrap around.
        int first = Math.floorMod(next, slots);
        int last = Math.floorMod(to, slots);
        int[][] ranges = to == from ? new int[0][] : first <= last ? new int[][] {{first, last}} : new int[][] {{first, slots - 1}, {0, last}};
        for (int[] r : ranges) {
            try (org.apache.kafka.streams.state.KeyValueIterator<Bytes, byte[]> it = changes.range(
                    io.vantage.store.StoreKeys.changeSlot(r[0]), io.vantage.store.StoreKeys.changeSlot(r[1]))) {
                while (it.hasNext()) {
                    byte[] c = it.next().value;
                    // A missing slot, or one written over by a later version: the write of 'next' is gone.
                    // (The in-memory store's iterator reads each value when reached, outside its lock:
                    // while the ring still grows, a value may read as none.)
                    if (c == null || io.vantage.store.StoreKeys.changeVersion(c) != next) {
                        return null;
                    }
                    next++;
                    Bytes key = io.vantage.store.StoreKeys.changeVisit(c);
                    if (io.vantage.store.StoreKeys.visitIn(key, hourKey)) {
                        out.remove(key);
                        out.put(key, io.vantage.store.StoreKeys.changeValue(c));
                    }
                }
            }
        }
        return next == to + 1 ? out : null;
    }
}
