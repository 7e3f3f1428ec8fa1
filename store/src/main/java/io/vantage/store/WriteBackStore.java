package io.vantage.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A write-back cache over a logged key-value store, for the stores written on every event (the
 * visit rows and the profiles): the latest value of each key written since the last commit is
 * kept in a hash map and reaches the store below (RocksDB and its changelog) once, when Kafka
 * Streams flushes caches before it commits the transaction, or earlier when the cache outgrows
 * its budget.
 *
 * <p>Why not the record cache of Kafka Streams: it keeps every entry, clean or dirty, in one
 * sorted map per store, so each write costs a tree look-up of byte keys, an LRU move and a
 * dirty-set move (a fifth of the stream thread in a JFR profile of the processing bench). The
 * processor keeps its own decoded copies of what it reads (recent visits, recent profiles), so
 * only the write combining is wanted: here a repeated write is one hash-map put, and only a key's
 * first write since the last flush enters the sorted set that range reads need.
 *
 * <p>Readers (interactive queries on other threads) see the latest writes: a get looks in the
 * cache first; a range merges the cache's keys in that range with the store's. A key is always in
 * the cache, in the batch being flushed, or in the store below, and moves only in that direction,
 * so a reader that takes the cache's part first and then the store's never misses one. The
 * cache is dropped, not flushed, when the task closes: a clean close has committed (flushed)
 * first, and a dirty one under exactly-once discards the uncommitted writes with the state.
 * Interactive queries v2 ({@code query}) read the store below only.
 *
 * <p>A flushed write goes to the changelog with the timestamp of the record or punctuation being
 * processed at the flush, not of the one that made it: the changelogs of these stores are
 * compacted, never deleted by time, so nothing reads those timestamps.
 */
public final class WriteBackStore<K, V> extends WrappedStateStore<KeyValueStore<K, V>, K, V> implements KeyValueStore<K, V> {
    private static final Object TOMBSTONE = new Object();
    private static final long ENTRY_OVERHEAD = 96;
    private final Comparator<? super K> order;
    private final ToLongFunction<? super K> keyWeight;
    private final ToLongFunction<? super V> valueWeight;
    private final long maxBytes;
    private final Object lock = new Object();
    // Guarded by lock: the writes since the last flush (a value or TOMBSTONE), and their keys in order.
    private Map<K, Object> dirty = new HashMap<>();
    private NavigableSet<K> dirtyKeys;
    // Guarded by lock: the batch being written to the store below, visible to readers until it is there.
    private Map<K, Object> flushing = Map.of();
    private NavigableSet<K> flushingKeys;
    private long dirtyBytes;

    WriteBackStore(KeyValueStore<K, V> inner, Comparator<? super K> order, ToLongFunction<? super K> keyWeight,
                   ToLongFunction<? super V> valueWeight, long maxBytes) {
        super(inner);
        this.order = order;
        this.keyWeight = keyWeight;
        this.valueWeight = valueWeight;
        this.maxBytes = maxBytes;
        this.dirtyKeys = new TreeSet<>(order);
        this.flushingKeys = Collections.emptyNavigableSet();
    }

    /**
     * A builder of this cache over {@code inner} (its caching turned off; its logging as set on
     * it), flushing early once the cached keys and values weigh {@code maxBytes}.
     *
     * @param order the order of the keys as the store below sorts them (their serialized bytes)
     */
    public static <K, V> StoreBuilder<KeyValueStore<K, V>> builder(StoreBuilder<KeyValueStore<K, V>> inner, Comparator<? super K> order,
                                                                  ToLongFunction<? super K> keyWeight, ToLongFunction<? super V> valueWeight,
                                                                  long maxBytes) {
        return new Builder<>(inner.withCachingDisabled(), order, keyWeight, valueWeight, maxBytes);
    }

    /**
     * The order of UTF-8 bytes (that is, of code points), in which the store below sorts string keys.
     * Keys are well-formed strings (they come from UTF-8 decoded records): a lone surrogate, which
     * the UTF-8 encoder writes as '?', would not compare as its bytes.
     */
    public static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    @Override
    public void put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Object v = value == null ? TOMBSTONE : value;
        boolean full;
        synchronized (lock) {
            Object old = dirty.put(key, v);
            if (old == null) {
                dirtyKeys.add(key);
                dirtyBytes += ENTRY_OVERHEAD + keyWeight.applyAsLong(key);
            } else {
                dirtyBytes -= weight(old);
            }
            dirtyBytes += weight(v);
            full = dirtyBytes > maxBytes;
        }
        if (full) {
            flushCache();
        }
    }

    @SuppressWarnings("unchecked")
    private long weight(Object v) {
        return v == TOMBSTONE ? 0 : valueWeight.applyAsLong((V) v);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        V old = get(key);
        if (old == null) {
            put(key, value);
        }
        return old;
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        for (KeyValue<K, V> e : entries) {
            put(e.key, e.value);
        }
    }

    @Override
    public V delete(K key) {
        V old = get(key);
        put(key, null);
        return old;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(K key) {
        Object v;
        synchronized (lock) {
            v = dirty.get(key);
            if (v == null) {
                v = flushing.get(key);
            }
        }
        if (v == TOMBSTONE) {
            return null;
        }
        return v != null ? (V) v : wrapped().get(key);
    }

    /**
     * Writes the cached entries to the store below (and so to its changelog), in key order, one
     * put each: one RocksDB write batch of a commit's entries made the processing bench's writes
     * stall for seconds (transactions timed out and were fenced), where single puts do not.
     */
    @Override
    @SuppressWarnings("unchecked")
    public void flushCache() {
        Map<K, Object> batch;
        NavigableSet<K> keys;
        synchronized (lock) {
            if (dirty.isEmpty()) {
                return;
            }
            batch = dirty;
            keys = dirtyKeys;
            flushing = batch;
            flushingKeys = keys;
            dirty = new HashMap<>(Math.max(16, batch.size() * 2));
            dirtyKeys = new TreeSet<>(order);
            dirtyBytes = 0;
        }
        try {
            for (K k : keys) {
                Object v = batch.get(k);
                if (v == TOMBSTONE) {
                    wrapped().delete(k);
                } else {
                    wrapped().put(k, (V) v);
                }
            }
        } catch (RuntimeException e) {
            // Nothing of the batch is dropped: the keys not written since go back into the cache, to be
            // written again at the next flush (a put that already went through is written again, which is
            // harmless). An early flush fails inside process(), where the processing exception handler may
            // go on; at a commit the failure ends the transaction.
            synchronized (lock) {
                for (K k : keys) {
                    if (!dirty.containsKey(k)) {
                        Object v = batch.get(k);
                        dirty.put(k, v);
                        dirtyKeys.add(k);
                        dirtyBytes += ENTRY_OVERHEAD + keyWeight.applyAsLong(k) + weight(v);
                    }
                }
            }
            throw e;
        } finally {
            synchronized (lock) {
                flushing = Map.of();
                flushingKeys = Collections.emptyNavigableSet();
            }
        }
        super.flushCache();
    }

    /** Drops the cached writes (they are not committed): the task's state is being discarded or closed. */
    @Override
    public void clearCache() {
        synchronized (lock) {
            dirty = new HashMap<>();
            dirtyKeys = new TreeSet<>(order);
            dirtyBytes = 0;
        }
        super.clearCache();
    }

    @Override
    public void close() {
        clearCache();
        super.close();
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        if (from != null && to != null && order.compare(from, to) > 0) {
            return wrapped().range(from, to);
        }
        return new Merged(cached(from, to), wrapped().range(from, to));
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return range(null, null);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        return reversed(range(from, to));
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        return reversed(all());
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        throw new UnsupportedOperationException("prefixScan is not served by the write-back store " + name() + "; use range");
    }

    @Override
    public long approximateNumEntries() {
        synchronized (lock) {
            return wrapped().approximateNumEntries() + dirty.size();
        }
    }

    /** The cached entries from {@code from} to {@code to} (null: open), newest value per key, in order. */
    private TreeMap<K, Object> cached(K from, K to) {
        TreeMap<K, Object> out = new TreeMap<>(order);
        synchronized (lock) {
            for (K k : slice(flushingKeys, from, to)) {
                out.put(k, flushing.get(k));
            }
            for (K k : slice(dirtyKeys, from, to)) {
                out.put(k, dirty.get(k));
            }
        }
        return out;
    }

    private static <K> NavigableSet<K> slice(NavigableSet<K> keys, K from, K to) {
        if (keys.isEmpty()) {
            return keys;
        }
        if (from == null && to == null) {
            return keys;
        }
        if (from == null) {
            return keys.headSet(to, true);
        }
        if (to == null) {
            return keys.tailSet(from, true);
        }
        return keys.subSet(from, true, to, true);
    }

    private KeyValueIterator<K, V> reversed(KeyValueIterator<K, V> forward) {
        List<KeyValue<K, V>> all = new ArrayList<>();
        try (forward) {
            forward.forEachRemaining(all::add);
        }
        Collections.reverse(all);
        Iterator<KeyValue<K, V>> it = all.iterator();
        return new Lookahead<>() {
            @Override
            protected KeyValue<K, V> advance() {
                return it.hasNext() ? it.next() : null;
            }
        };
    }

    /** The cached entries merged with the store's in key order: a cached value wins, a cached delete hides the key. */
    private final class Merged extends Lookahead<K, V> {
        private final Iterator<Map.Entry<K, Object>> cache;
        private final KeyValueIterator<K, V> store;
        private Map.Entry<K, Object> nextCached;

        Merged(TreeMap<K, Object> cached, KeyValueIterator<K, V> store) {
            this.cache = cached.entrySet().iterator();
            this.store = store;
            this.nextCached = cache.hasNext() ? cache.next() : null;
        }

        @Override
        @SuppressWarnings("unchecked")
        protected KeyValue<K, V> advance() {
            while (true) {
                K storeKey = store.hasNext() ? store.peekNextKey() : null;
                if (nextCached == null && storeKey == null) {
                    return null;
                }
                int c = nextCached == null ? 1 : storeKey == null ? -1 : order.compare(nextCached.getKey(), storeKey);
                if (c > 0) {
                    return store.next();
                }
                if (c == 0) {
                    store.next();
                }
                Map.Entry<K, Object> e = nextCached;
                nextCached = cache.hasNext() ? cache.next() : null;
                if (e.getValue() != TOMBSTONE) {
                    return KeyValue.pair(e.getKey(), (V) e.getValue());
                }
            }
        }

        @Override
        public void close() {
            store.close();
        }
    }

    private static final class Builder<K, V> implements StoreBuilder<KeyValueStore<K, V>> {
        private final StoreBuilder<KeyValueStore<K, V>> inner;
        private final Comparator<? super K> order;
        private final ToLongFunction<? super K> keyWeight;
        private final ToLongFunction<? super V> valueWeight;
        private final long maxBytes;

        Builder(StoreBuilder<KeyValueStore<K, V>> inner, Comparator<? super K> order, ToLongFunction<? super K> keyWeight,
                ToLongFunction<? super V> valueWeight, long maxBytes) {
            this.inner = inner;
            this.order = order;
            this.keyWeight = keyWeight;
            this.valueWeight = valueWeight;
            this.maxBytes = maxBytes;
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingEnabled(Map<String, String> config) {
            inner.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
            inner.withLoggingDisabled();
            return this;
        }

        @Override
        public KeyValueStore<K, V> build() {
            return new WriteBackStore<>(inner.build(), order, keyWeight, valueWeight, maxBytes);
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
