package io.vantage.profiler;

import io.vantage.model.Stores;
import io.vantage.store.WriteBackStore;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/** The visitor-profile store: key {@link io.vantage.model.EventKeys} (site and visitor), value {@link VisitorProfile} in a binary format. */
public final class ProfileStore {
    public static final Serde<VisitorProfile> SERDE = ProfileCodec.serde();
    /** About what a decoded profile holds on the heap besides its strings. */
    private static final long PROFILE_BYTES = 320;
    /** The profiles written since the last commit, per task, before they are written through early. */
    private static final long CACHE_BYTES = 4L << 20;

    private ProfileStore() {
    }

    /** About what a decoded profile holds on the heap: its fields, and two bytes a character of its pages and traits. */
    static long heapBytes(VisitorProfile p) {
        long chars = length(p.firstPage()) + length(p.lastPage()) + length(p.latestVisitFirstPage()) + length(p.latestVisitLastPage());
        for (Map.Entry<String, String> t : p.traits().entrySet()) {
            chars += t.getKey().length() + length(t.getValue()) + 24;
        }
        return PROFILE_BYTES + 2 * chars + 48L * p.traitTimes().size();
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    public static StoreBuilder<KeyValueStore<String, VisitorProfile>> builder() {
        // Written on every event: the profiles written since the last commit stay decoded in a
        // write-back cache (a hash map) and are encoded once, when they reach RocksDB and the changelog.
        return WriteBackStore.builder(org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                        org.apache.kafka.streams.state.Stores.persistentKeyValueStore(Stores.PROFILES), Serdes.String(), SERDE),
                WriteBackStore::compareUtf8, k -> 2L * k.length(), ProfileStore::heapBytes, CACHE_BYTES);
    }
}
