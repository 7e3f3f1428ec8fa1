package io.vantage.api;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The read side of one partition's stores (io.vantage.store.StoreKeys describes their keys). */
public record PartitionStores(ReadOnlyKeyValueStore<Bytes, byte[]> visits, ReadOnlyKeyValueStore<Bytes, byte[]> traits,
                              ReadOnlyKeyValueStore<Bytes, byte[]> spans) {
}
