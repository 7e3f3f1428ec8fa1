package io.vantage.launcher;

import io.vantage.model.Topics;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

/**
 * The Kafka Streams settings of a processor, in one place, so that the benchmark's pass-through
 * app runs with exactly the processor's guarantee, threads, commit interval and cache.
 */
public final class StreamsSettings {
    /**
     * The processor's application id: its consumer group, and the prefix of its changelog topics.
     * It names the engine's design, so a new design starts its own group from the raw topics
     * instead of skipping their history with the old design's committed offsets ({@link UpgradeCheck}).
     */
    public static final String PROCESSOR_APPLICATION_ID = "vantage-processor-v2";
    /** The application id of the first engine design (rollup rows), whose data an upgrade rebuilds. */
    public static final String FIRST_DESIGN_APPLICATION_ID = "vantage-processor";

    private StreamsSettings() {
    }

    /** The settings of a Streams app with {@code applicationId}, its state under {@code config.dataDir()/streams}. */
    public static Properties of(VantageConfig config, String applicationId) {
        // The operator's client settings (TLS, SASL) reach every client Streams makes.
        Properties p = io.vantage.model.KafkaClients.properties(config.kafkaBootstrap());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.dataDir().resolve("streams").toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.host() + ":" + config.port());
        // Queries read the stores' caches, so freshness does not wait for commits. An exactly-once
        // commit blocks the stream thread (cache flush, producer flush, transaction markers), so
        // fewer commits leave it more time to process; a busy visit row reaches RocksDB and its
        // changelog once per commit, not per event.
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 2_000);
        // The record cache serves the stores written once per visit or less (visitor sessions,
        // traits, spans); the visit rows and profiles have write-back caches of their own (WriteBackStore).
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 16L * 1024 * 1024);
        // The stores are keyed by explicit event times, so nothing depends on interleaving the
        // events and imports partitions of a task by time: a task never waits for an empty one
        // (waiting also costs a formatted log string per record).
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        // A warm copy of every store on another instance, where there is one: a failed instance's
        // partitions are answered again in seconds, not after a changelog restore.
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        // Changelog records (visit rows, profiles, event ids) repeat their keys' prefixes and pages: lz4 as the collector uses.
        p.put(StreamsConfig.producerPrefix(org.apache.kafka.clients.producer.ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // One RocksDB memory budget for all stores of the process, instead of memtables and a cache per store instance.
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, io.vantage.processor.BoundedRocksDb.class);
        p.put("processing.exception.handler.global.enabled", true);
        // A record the topology fails on goes to the dead-letter topic and processing goes on,
        // instead of the thread failing on it again and again.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEAD_LETTERS);
        // A crashed instance's partitions move after 10 s instead of 45 s.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        return p;
    }
}
