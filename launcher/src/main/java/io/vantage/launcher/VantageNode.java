package io.vantage.launcher;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vantage.collector.CollectorConfig;
import io.vantage.collector.CollectorRoutes;
import io.vantage.collector.CollectorService;
import io.vantage.collector.KafkaDailySalts;
import io.vantage.collector.KafkaEventSink;
import io.vantage.collector.TrustedProxies;
import io.vantage.collector.SiteRoutes;
import io.vantage.collector.TrackerRoutes;
import io.vantage.http.Auth;
import io.vantage.model.KafkaSiteRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Everything of Vantage in one process: optionally an embedded broker, the collector, the
 * processor with its dashboard API, all on one HTTP port. Local mode runs all of them; the
 * {@code collector} and {@code processor} commands run one part against a Kafka cluster.
 */
public final class VantageNode implements AutoCloseable {
    private final List<AutoCloseable> parts = new ArrayList<>();
    private final String adminToken;
    private final int port;
    private List<String> routes = List.of();
    private String bootstrap;

    /** What to run in this process. */
    public enum Role { LOCAL, COLLECTOR, PROCESSOR }

    private VantageNode(VantageConfig config, Role role) {
        // Port 0: a free port is chosen now (peers are told it before HTTP starts) and held open
        // until the server binds it, so no outgoing connection of this process (Kafka clients take
        // ephemeral ports from the same range) can take it in the meantime.
        java.net.ServerSocket reserved = null;
        try {
            if (config.port() == 0) {
                reserved = new java.net.ServerSocket();
                reserved.setReuseAddress(true);
                reserved.bind(new java.net.InetSocketAddress(config.host(), 0));
            }
            VantageConfig c = reserved != null ? config.withPort(reserved.getLocalPort()) : config;
            if (role == Role.LOCAL) {
                EmbeddedBroker broker = EmbeddedBroker.start(c.dataDir().resolve("kafka"), "127.0.0.1", 0);
                parts.add(broker);
                c = c.withBootstrap(broker.bootstrap());
            }
            bootstrap = c.kafkaBootstrap();
            adminToken = role == Role.LOCAL ? c.adminTokenOrKept() : c.requireAdminToken();
            int partitions;
            try (Admin admin = Admin.create(io.vantage.model.KafkaClients.settings(c.kafkaBootstrap(), Map.of()))) {
                partitions = KafkaTopics.ensure(admin, c.partitions());
            }
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
            io.micrometer.core.instrument.binder.jvm.JvmGcMetrics gc = new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics();
            gc.bindTo(registry);
            parts.add(gc);
            new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
            new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
            new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
            KafkaSiteRegistry sites = new KafkaSiteRegistry(c.kafkaBootstrap()).start(Duration.ofSeconds(60));
            parts.add(sites);
            Auth auth = new Auth(adminToken, sites);
            List<io.vantage.http.HttpModule> modules = new ArrayList<>();
            List<HttpServer.Check> checks = new ArrayList<>();
            checks.add(new HttpServer.Check("sites", sites::problem));
            modules.add(new SiteRoutes(sites, auth));
            if (role != Role.PROCESSOR) {
                KafkaEventSink sink = new KafkaEventSink(c.kafkaBootstrap(), CollectorConfig.DEFAULT_PRODUCE_TIMEOUT);
                parts.add(sink);
                CollectorConfig collectorConfig = CollectorConfig.withSecret(role == Role.LOCAL ? c.secretOrKept() : requireSecret(c))
                        .withTrustedProxies(TrustedProxies.parse(c.trustedProxies()))
                        .withRateLimits(c.rateLimits())
                        .withPathPrefix(c.pathPrefix());
                KafkaDailySalts salts = new KafkaDailySalts(c.kafkaBootstrap(), Clock.systemUTC()).start(Duration.ofSeconds(60));
                parts.add(salts);
                CollectorService service = new CollectorService(sites, sink, salts, collectorConfig, registry);
                modules.add(new CollectorRoutes(service, auth, Clock.systemUTC(), collectorConfig));
                modules.add(new TrackerRoutes(collectorConfig.bases()));
                if (role == Role.LOCAL) {
                    modules.add(new DemoSite(sites));
                }
                checks.add(new HttpServer.Check("kafka", () -> sink.healthy() ? null : "Kafka does not acknowledge events"));
                checks.add(new HttpServer.Check("cookieless-salt", () -> salts.healthy() ? null : "today's cookieless salt is not known"));
            }
            ProcessorNode processor = null;
            if (role != Role.COLLECTOR) {
                processor = new ProcessorNode(c, partitions, sites, auth, c.peerSecretOr(adminToken), registry);
                parts.add(processor);
                modules.add(processor.routes());
                ProcessorNode p = processor;
                checks.add(new HttpServer.Check("processor", () ->
                        p.state() == KafkaStreams.State.RUNNING ? null : "processor is " + p.state()));
            }
            HttpServer server = new HttpServer(c.host(), c.port(), modules, checks, registry, auth,
                    CollectorRoutes.ingestionRoutes(c.pathPrefix() == null ? List.of("") : List.of("", c.pathPrefix())));
            // HTTP first: while the stores restore, /health says so (503, "processor is REBALANCING")
            // and ingestion works; queries answer 503 until every partition can be read.
            if (reserved != null) {
                reserved.close();
                reserved = null;
            }
            server.start();
            parts.add(server);
            port = server.port();
            routes = server.routes();
            if (processor != null) {
                processor.start(Duration.ofSeconds(120));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } finally {
            if (reserved != null) {
                try {
                    reserved.close();
                } catch (IOException e) {
                    // nothing was bound to it but this socket: closing cannot lose anything
                }
            }
        }
    }

    public static VantageNode start(VantageConfig config, Role role) {
        return new VantageNode(config, role);
    }

    private static String requireSecret(VantageConfig c) {
        if (c.secret() == null) {
            throw new IllegalArgumentException("VANTAGE_SECRET is required for a collector (all collectors share it, so cookieless ids agree)");
        }
        return c.secret();
    }

    public int port() {
        return port;
    }

    /** The routes of this node's HTTP server, as {@code "GET /path/{param}"}. */
    List<String> routes() {
        return routes;
    }

    public String kafkaBootstrap() {
        return bootstrap;
    }

    public String adminToken() {
        return adminToken;
    }

    /** Stops the parts in reverse order of start: HTTP first, the broker last. */
    @Override
    public void close() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            }
        }
        parts.clear();
    }
}
