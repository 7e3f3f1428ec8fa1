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
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The processor: the topology running in Kafka Streams, and the dashboard API over its stores. */
final class ProcessorNode implements AutoCloseable {
    static final String APPLICATION_ID = StreamsSettings.PROCESSOR_APPLICATION_ID;
    private static final Logger LOGGER = LoggerFactory.getLogger(ProcessorNode.class);
    private final KafkaStreams streams;
    private final Admin admin;
    private final ApiRoutes routes;
    private final KafkaStreamsMetrics metrics;
    private final String upgrade;
    private final KafkaErasures erasures;

    ProcessorNode(VantageConfig config, int partitions, SiteRegistry sites, Auth auth, String peerSecret, MeterRegistry registry) {
        ProgressTracker progress = new ProgressTracker(new MeteredListener(registry));
        TopologyConfig topologyConfig = TopologyConfig.defaults().withListener(progress);
        Properties p = StreamsSettings.of(config, APPLICATION_ID);
        streams = new KafkaStreams(VantageTopology.build(topologyConfig), p);
        streams.setUncaughtExceptionHandler(e -> {
            LOGGER.error("stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
        java.nio.file.Path stateDir = config.dataDir().resolve("streams");
        io.micrometer.core.instrument.Gauge.builder("vantage.store.disk", () -> DiskUsage.bytes(stateDir))
                .description("bytes of this processor's state stores on disk (RocksDB files and checkpoints)").baseUnit("bytes")
                .register(registry);
        upgrade = config.upgrade();
        admin = Admin.create(io.vantage.model.KafkaClients.settings(config.kafkaBootstrap(), java.util.Map.of()));
        HostInfo self = new HostInfo(config.host(), config.port());
        io.vantage.http.PeerAuth peerAuth = new io.vantage.http.PeerAuth(peerSecret);
        PeerClient peers = new PeerClient(peerAuth);
        StreamsPartialSource partials = new StreamsPartialSource(streams, self, partitions, peers);
        erasures = new KafkaErasures(config.kafkaBootstrap());
        routes = new ApiRoutes(sites, auth, peerAuth, new QueryParser(Clock.systemUTC()), partials,
                new ProfileService(streams, self, peers),
                new StatusService(admin, APPLICATION_ID, partitions, () -> partials.eventTimes(progress)), progress, erasures);
    }

    HttpModule routes() {
        return routes;
    }

    KafkaStreams.State state() {
        return streams.state();
    }

    /** Starts processing and waits until the stores can be queried. */
    void start(Duration timeout) {
        UpgradeCheck.beforeStart(admin, upgrade);
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
        routes.live().close();
        metrics.close();
        // Leave the group on a clean stop, so a restart or a peer takes the partitions over at once.
        streams.close(org.apache.kafka.streams.CloseOptions
                .groupMembershipOperation(org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        admin.close(Duration.ofSeconds(5));
        erasures.close();
    }
}
