package io.vantage.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class ChangeRingTest {
    private final KeyValueStore<Bytes, byte[]> ring = open();

    private static KeyValueStore<Bytes, byte[]> open() {
        KeyValueStore<Bytes, byte[]> r = ChangeRing.builder("changes").build();
        r.init(new MockProcessorContext<>().getStateStoreContext(), r);
        return r;
    }

    private static byte[] change(long version) {
        return StoreKeys.change(version, Bytes.wrap(new byte[] {1, 2}), new byte[] {(byte) version});
    }

    private static List<Long> versions(KeyValueIterator<Bytes, byte[]> it) {
        List<Long> out = new ArrayList<>();
        try (it) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                assertThat(StoreKeys.changeSlot(StoreKeys.changeVersion(kv.value))).isEqualTo(kv.key);
                out.add(StoreKeys.changeVersion(kv.value));
            }
        }
        return out;
    }

    @Test
    void aWriteTakesTheSlotOfItsVersionAndALaterLapOverwritesIt() {
        long lap = StoreKeys.CHANGE_SLOTS;
        ring.put(StoreKeys.changeSlot(5), change(5));
        ring.put(StoreKeys.changeSlot(6), change(6));
        ring.put(StoreKeys.changeSlot(lap + 5), change(lap + 5));

        assertThat(StoreKeys.changeVersion(ring.get(StoreKeys.changeSlot(5)))).isEqualTo(lap + 5);
        assertThat(ring.get(StoreKeys.changeSlot(7))).isNull();
        assertThat(versions(ring.range(StoreKeys.changeSlot(0), StoreKeys.changeSlot(10)))).containsExactly(lap + 5, 6L);
    }

    @Test
    void rangesReadTheWrittenSlotsInOrderAndSkipEmptyOnes() {
        for (long v : new long[] {1, 2, 4, StoreKeys.CHANGE_SLOTS - 1}) {
            ring.put(StoreKeys.changeSlot(v), change(v));
        }
        assertThat(versions(ring.range(StoreKeys.changeSlot(2), StoreKeys.changeSlot(4)))).containsExactly(2L, 4L);
        assertThat(versions(ring.all())).containsExactly(1L, 2L, 4L, StoreKeys.CHANGE_SLOTS - 1L);
        assertThat(versions(ring.range(StoreKeys.changeSlot(4), StoreKeys.changeSlot(2)))).isEmpty();
        assertThat(versions(ring.reverseAll())).containsExactly(StoreKeys.CHANGE_SLOTS - 1L, 4L, 2L, 1L);
    }

    @Test
    void closingEmptiesTheRingAndOtherKeysAreRefused() {
        ring.put(StoreKeys.changeSlot(3), change(3));
        ring.close();
        assertThat(ring.isOpen()).isFalse();
        assertThat(ring.get(StoreKeys.changeSlot(3))).isNull();
        assertThatThrownBy(() -> ring.put(Bytes.wrap(new byte[] {1}), new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
