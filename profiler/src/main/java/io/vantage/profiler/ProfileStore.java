package io.vantage.profiler;

import io.vantage.model.Stores;
import io.vantage.store.WriteBackStore;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/** The visitor-profile store: key {@link io.vantage.model.EventKeys} (site and visitor), value {@link VisitorProfile} in a binary format. */
public final class ProfileStore {
    public static final Serde<VisitorProfile> SERDE = ProfileCodec.serde();
    /** About what a decoded profile holds on the heap (its fields, first page, referrer, a few traits). */
    private static final long PROFILE_BYTES = 320;
    /** The profiles written since the last commit, per task, before they are written through early. */
    private static final long CACHE_BYTES = 4L << 20;

    private ProfileStore() {
    }

    public static StoreBuilder<KeyValueStore<String, VisitorProfile>> builder() {
        // Written on every event: the profiles written since the last commit stay decoded in a
        // write-back cache (a hash map) and are encoded once, when they reach RocksDB and the changelog.
        return WriteBackStore.builder(org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                        org.apache.kafka.streams.state.Stores.persistentKeyValueStore(Stores.PROFILES), Serdes.String(), SERDE),
                WriteBackStore::compareUtf8, k -> 2L * k.length(), p -> PROFILE_BYTES, CACHE_BYTES);
    }
}
