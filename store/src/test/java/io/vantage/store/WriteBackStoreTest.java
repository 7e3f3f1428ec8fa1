package io.vantage.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WriteBackStoreTest {
    private KeyValueStore<String, String> store;
    private final List<KeyValue<String, String>> below = new ArrayList<>();

    @BeforeEach
    void open() {
        store = build(1 << 20);
    }

    private KeyValueStore<String, String> build(long maxBytes) {
        KeyValueStore<String, String> s = WriteBackStore.builder(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("s"), Serdes.String(), Serdes.String()).withLoggingDisabled(),
                WriteBackStore::compareUtf8, String::length, String::length, maxBytes).build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        s.init(context.getStateStoreContext(), s);
        return s;
    }

    /** What the store below holds, read past the cache. */
    @SuppressWarnings("unchecked")
    private List<KeyValue<String, String>> stored() {
        below.clear();
        try (KeyValueIterator<String, String> it = ((WriteBackStore<String, String>) store).wrapped().all()) {
            it.forEachRemaining(below::add);
        }
        return below;
    }

    private static List<KeyValue<String, String>> list(KeyValueIterator<String, String> it) {
        List<KeyValue<String, String>> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void writesReachTheStoreBelowOnlyWhenFlushed() {
        store.put("a", "1");
        store.put("a", "2");
        assertThat(store.get("a")).isEqualTo("2");
        assertThat(stored()).isEmpty();

        ((WriteBackStore<String, String>) store).flushCache();
        assertThat(stored()).containsExactly(KeyValue.pair("a", "2"));
        assertThat(store.get("a")).isEqualTo("2");
    }

    @Test
    void aDeleteHidesTheStoredValueAndRemovesItWhenFlushed() {
        store.put("a", "1");
        ((WriteBackStore<String, String>) store).flushCache();

        assertThat(store.delete("a")).isEqualTo("1");
        assertThat(store.get("a")).isNull();
        assertThat(list(store.all())).isEmpty();
        assertThat(stored()).containsExactly(KeyValue.pair("a", "1"));

        ((WriteBackStore<String, String>) store).flushCache();
        assertThat(stored()).isEmpty();
    }

    @Test
    void rangesMergeCachedAndStoredKeysInOrder() {
        for (String k : List.of("b", "d", "f", "h")) {
            store.put(k, "stored-" + k);
        }
        ((WriteBackStore<String, String>) store).flushCache();
        store.put("a", "new-a");
        store.put("d", "new-d");
        store.delete("f");
        store.put("g", "new-g");
        store.put("z", "new-z");

        assertThat(list(store.range("b", "g"))).containsExactly(KeyValue.pair("b", "stored-b"), KeyValue.pair("d", "new-d"),
                KeyValue.pair("g", "new-g"));
        assertThat(list(store.all())).extracting(kv -> kv.key).containsExactly("a", "b", "d", "g", "h", "z");
        assertThat(list(store.reverseRange("a", "e"))).extracting(kv -> kv.key).containsExactly("d", "b", "a");
        assertThat(list(store.range(null, "c"))).extracting(kv -> kv.key).containsExactly("a", "b");
        assertThat(list(store.range("y", null))).extracting(kv -> kv.key).containsExactly("z");
        assertThat(list(store.range("e", "c"))).isEmpty();

        ((WriteBackStore<String, String>) store).flushCache();
        assertThat(stored()).extracting(kv -> kv.key).containsExactly("a", "b", "d", "g", "h", "z");
        assertThat(stored()).contains(KeyValue.pair("d", "new-d"));
    }

    @Test
    void aCacheOverItsBudgetIsWrittenThrough() {
        // An entry weighs its key, its value and about 96 bytes of maps: two of these pass 300.
        store = build(300);
        store.put("a", "x".repeat(100));
        store.put("a", "w".repeat(100));
        assertThat(stored()).isEmpty();
        store.put("b", "y".repeat(100));
        assertThat(stored()).containsExactly(KeyValue.pair("a", "w".repeat(100)), KeyValue.pair("b", "y".repeat(100)));
        store.put("c", "z".repeat(100));
        assertThat(stored()).extracting(kv -> kv.key).containsExactly("a", "b");
        assertThat(store.get("c")).isEqualTo("z".repeat(100));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFailedFlushKeepsItsWritesForTheNext() {
        KeyValueStore<String, String> inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("f"), Serdes.String(), Serdes.String())
                .withLoggingDisabled().build();
        boolean[] failing = {true};
        KeyValueStore<String, String> below = (KeyValueStore<String, String>) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("put") && failing[0] && "b".equals(args[0])) {
                        throw new IllegalStateException("disk full");
                    }
                    try {
                        return method.invoke(inner, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        WriteBackStore<String, String> s = new WriteBackStore<>(below, WriteBackStore::compareUtf8, String::length, String::length, 1 << 20);
        s.init(new MockProcessorContext<>().getStateStoreContext(), s);
        s.put("a", "1");
        s.put("b", "2");
        s.put("c", "3");

        org.assertj.core.api.Assertions.assertThatThrownBy(s::flushCache).hasMessage("disk full");
        s.put("c", "4");
        assertThat(s.get("b")).isEqualTo("2");
        assertThat(inner.get("b")).isNull();

        failing[0] = false;
        s.flushCache();
        assertThat(list(inner.all())).containsExactly(KeyValue.pair("a", "1"), KeyValue.pair("b", "2"), KeyValue.pair("c", "4"));
    }

    @Test
    void clearingDropsWritesNotFlushed() {
        store.put("a", "1");
        ((WriteBackStore<String, String>) store).flushCache();
        store.put("a", "2");
        store.put("b", "3");

        ((WriteBackStore<String, String>) store).clearCache();
        assertThat(store.get("a")).isEqualTo("1");
        assertThat(store.get("b")).isNull();
        ((WriteBackStore<String, String>) store).flushCache();
        assertThat(stored()).containsExactly(KeyValue.pair("a", "1"));
    }

    @Test
    void stringsCompareAsTheirUtf8Bytes() {
        Random random = new Random(3);
        String[] alphabet = {"a", "z", "\u0000", "\u0001", "é", "\uffef", "\ud83d\ude00", "\ud800\udc00", "\ue000"};
        for (int i = 0; i < 20_000; i++) {
            String a = word(random, alphabet);
            String b = word(random, alphabet);
            int expected = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
            assertThat(Integer.signum(WriteBackStore.compareUtf8(a, b))).as("%s vs %s", a, b).isEqualTo(expected);
        }
    }

    @Test
    void bytesKeysFollowTheStoreBelowsOrder() {
        KeyValueStore<Bytes, byte[]> bytes = WriteBackStore.builder(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("b"), Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled(),
                Bytes::compareTo, k -> k.get().length, v -> v.length, 1 << 20).build();
        bytes.init(new MockProcessorContext<>().getStateStoreContext(), bytes);
        bytes.put(Bytes.wrap(new byte[] {(byte) 0x80}), new byte[] {1});
        ((WriteBackStore<Bytes, byte[]>) bytes).flushCache();
        bytes.put(Bytes.wrap(new byte[] {0x7f}), new byte[] {2});
        bytes.put(Bytes.wrap(new byte[] {(byte) 0xff}), new byte[] {3});
        List<Byte> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = bytes.all()) {
            it.forEachRemaining(kv -> keys.add(kv.key.get()[0]));
        }
        assertThat(keys).containsExactly((byte) 0x7f, (byte) 0x80, (byte) 0xff);
    }

    private static String word(Random random, String[] alphabet) {
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            b.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return b.toString();
    }
}
