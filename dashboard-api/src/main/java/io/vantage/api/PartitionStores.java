package io.vantage.api;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The read side of one partition's stores (io.vantage.store.StoreKeys describes their keys);
 * {@code hours} (the visit-hours versions) and {@code cache} may be null: every hour is then read
 * from the visits store.
 */
public record PartitionStores(int partition, ReadOnlyKeyValueStore<Bytes, byte[]> visits, ReadOnlyKeyValueStore<Bytes, byte[]> traits,
                              ReadOnlyKeyValueStore<Bytes, byte[]> spans, ReadOnlyKeyValueStore<Bytes, byte[]> hours, HourCache cache) {
}
