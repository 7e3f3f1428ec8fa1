package io.vantage.launcher;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.vantage.api.ApiRoutes;
import io.vantage.api.PeerClient;
import io.vantage.api.ProfileService;
import io.vantage.api.ProgressTracker;
import io.vantage.api.QueryParser;
import io.vantage.api.StatusService;
import io.vantage.api.StreamsPartialSource;
import io.vantage.http.Auth;
import io.vantage.http.HttpModule;
import io.vantage.model.SiteRegistry;
import io.vantage.processor.TopologyConfig;
import io.vantage.processor.VantageTopology;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The processor: the topology running in Kafka Streams, and the dashboard API over its stores. */
final class ProcessorNode implements AutoCloseable {
    static final String APPLICATION_ID = "vantage-processor";
    private static final Logger LOGGER = LoggerFactory.getLogger(ProcessorNode.class);
    private final KafkaStreams streams;
    private final Admin admin;
    private final HttpModule routes;
    private final KafkaStreamsMetrics metrics;

    ProcessorNode(VantageConfig config, int partitions, SiteRegistry sites, Auth auth, MeterRegistry registry) {
        ProgressTracker progress = new ProgressTracker(new MeteredListener(registry));
        TopologyConfig topologyConfig = TopologyConfig.defaults().withListener(progress);
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.dataDir().resolve("streams").toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.host() + ":" + config.port());
        // Queries read the stores' caches, so freshness does not wait for commits; a commit every
        // 500 ms writes a busy rollup row to RocksDB and its changelog twice a second, not per event.
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 500);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L * 1024 * 1024);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        p.put("processing.exception.handler.global.enabled", true);
        // A record the topology fails on goes to the dead-letter topic and processing goes on,
        // instead of the thread failing on it again and again.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler.class);
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, io.vantage.model.Topics.DEAD_LETTERS);
        // A crashed instance's partitions move after 10 s instead of 45 s.
        p.put(StreamsConfig.consumerPrefix(org.apache.kafka.clients.consumer.ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        streams = new KafkaStreams(VantageTopology.build(topologyConfig), p);
        streams.setUncaughtExceptionHandler(e -> {
            LOGGER.error("stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
        admin = Admin.create(java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap()));
        HostInfo self = new HostInfo(config.host(), config.port());
        PeerClient peers = new PeerClient(auth.adminToken());
        StreamsPartialSource partials = new StreamsPartialSource(streams, self, partitions, peers);
        routes = new ApiRoutes(sites, auth, new QueryParser(Clock.systemUTC()), partials,
                new ProfileService(streams, self, peers),
                new StatusService(admin, APPLICATION_ID, partitions, () -> partials.eventTimes(progress)), progress);
    }

    HttpModule routes() {
        return routes;
    }

    KafkaStreams.State state() {
        return streams.state();
    }

    /** Starts processing and waits until the stores can be queried. */
    void start(Duration timeout) {
        streams.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("the processor did not start within " + timeout + " (state " + streams.state() + ")");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting", e);
            }
        }
    }

    @Override
    public void close() {
        metrics.close();
        // Leave the group on a clean stop, so a restart or a peer takes the partitions over at once.
        streams.close(org.apache.kafka.streams.CloseOptions
                .groupMembershipOperation(org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        admin.close(Duration.ofSeconds(5));
    }
}
