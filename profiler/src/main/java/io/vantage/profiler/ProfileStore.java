package io.vantage.profiler;

import io.vantage.model.Stores;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/** The visitor-profile store: key {@link io.vantage.model.EventKeys} (site and visitor), value {@link VisitorProfile} in a binary format. */
public final class ProfileStore {
    public static final Serde<VisitorProfile> SERDE = ProfileCodec.serde();

    private ProfileStore() {
    }

    public static StoreBuilder<KeyValueStore<String, VisitorProfile>> builder() {
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(Stores.PROFILES), Serdes.String(), SERDE)
                .withCachingEnabled();
    }
}
