package io.vantage.processor;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * One memory budget for every RocksDB store of the process (the Kafka Streams memory guide's
 * recipe): all store instances share one block cache, their index and filter blocks live in it,
 * and their memtables are charged to it through one write buffer manager. Without this each store
 * instance (store × partition) gets its own memtables and cache, and a handful of stores over a
 * few partitions reach gigabytes of off-heap memory.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {
    /** Everything RocksDB may hold in memory, memtables included. */
    public static final long TOTAL_BYTES = 128L * 1024 * 1024;
    /** The memtables' share of {@link #TOTAL_BYTES}. */
    public static final long WRITE_BUFFER_BYTES = 32L * 1024 * 1024;

    private static final Cache CACHE = new LRUCache(TOTAL_BYTES, -1, false, 0.1);
    private static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(WRITE_BUFFER_BYTES, CACHE);

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(CACHE);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(WRITE_BUFFERS);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared by every store: never closed here.
    }
}
