package io.vantage.store;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The visit-changes store ({@link StoreKeys#changeSlot}): the last {@link StoreKeys#CHANGE_SLOTS}
 * visit writes of a task, one slot each, in an array. Every counted event writes a slot, so a
 * write here is one array store, where an in-memory key-value store is a synchronized sorted map
 * behind metering layers (a JFR profile of the processing bench put 7% of the stream thread in
 * the two in-memory stores this one and the visit-hours store were). In memory and not logged:
 * versions mean something only within one life of a task. Readers on other threads see each slot
 * as last written.
 */
public final class ChangeRing implements KeyValueStore<Bytes, byte[]> {
    private final String name;
    private final AtomicReferenceArray<byte[]> slots = new AtomicReferenceArray<>(StoreKeys.CHANGE_SLOTS);
    private volatile boolean open;

    private ChangeRing(String name) {
        this.name = name;
    }

    /** A builder of the ring named {@code name}, in memory and not logged. */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(String name) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<KeyValueStore<Bytes, byte[]>> withCachingEnabled() {
                return this;
            }

            @Override
            public StoreBuilder<KeyValueStore<Bytes, byte[]>> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<KeyValueStore<Bytes, byte[]>> withLoggingEnabled(Map<String, String> config) {
                throw new UnsupportedOperationException("the change ring is never logged");
            }

            @Override
            public StoreBuilder<KeyValueStore<Bytes, byte[]>> withLoggingDisabled() {
                return this;
            }

            @Override
            public KeyValueStore<Bytes, byte[]> build() {
                return new ChangeRing(name);
            }

            @Override
            public Map<String, String> logConfig() {
                return Map.of();
            }

            @Override
            public boolean loggingEnabled() {
                return false;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        // Not logged: nothing is ever restored into it.
        context.register(root, (key, value) -> { });
        open = true;
    }

    @Override
    public void close() {
        open = false;
        for (int i = 0; i < slots.length(); i++) {
            slots.set(i, null);
        }
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    private static int slot(Bytes key) {
        int s = key.get().length == 4 ? StoreKeys.slotOf(key) : -1;
        if (s < 0 || s >= StoreKeys.CHANGE_SLOTS) {
            throw new IllegalArgumentException("not a change slot key: " + key);
        }
        return s;
    }

    @Override
    public void put(Bytes key, byte[] value) {
        slots.set(slot(key), value);
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        int s = slot(key);
        return slots.compareAndSet(s, null, value) ? null : slots.get(s);
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        entries.forEach(e -> put(e.key, e.value));
    }

    @Override
    public byte[] delete(Bytes key) {
        return slots.getAndSet(slot(key), null);
    }

    @Override
    public byte[] get(Bytes key) {
        return slots.get(slot(key));
    }

    /** The written slots from {@code from} to {@code to}, both included (null: the first or last slot). */
    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return new Slots(from == null ? 0 : slot(from), to == null ? StoreKeys.CHANGE_SLOTS - 1 : slot(to), false);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return new Slots(from == null ? 0 : slot(from), to == null ? StoreKeys.CHANGE_SLOTS - 1 : slot(to), true);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return reverseRange(null, null);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return range(null, null);
    }

    @Override
    public long approximateNumEntries() {
        return StoreKeys.CHANGE_SLOTS;
    }

    /** The written slots of a range in order (or in reverse), each value read when reached. */
    private final class Slots extends Lookahead<Bytes, byte[]> {
        private int at;
        private final int end;
        private final int step;

        Slots(int first, int last, boolean reverse) {
            this.at = reverse ? last : first;
            this.end = reverse ? first : last;
            this.step = reverse ? -1 : 1;
        }

        @Override
        protected KeyValue<Bytes, byte[]> advance() {
            while (step > 0 ? at <= end : at >= end) {
                byte[] v = slots.get(at);
                int slot = at;
                at += step;
                if (v != null) {
                    return KeyValue.pair(StoreKeys.changeSlot(slot), v);
                }
            }
            return null;
        }
    }
}
