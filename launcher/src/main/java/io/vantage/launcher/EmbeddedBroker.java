package io.vantage.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) in this JVM, with its log
 * under {@code dir}. The storage is formatted only once and the ports are kept in the data
 * directory, so a restart keeps every topic and offset.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private final KafkaRaftServer server;
    private final String bootstrap;

    private EmbeddedBroker(KafkaRaftServer server, String bootstrap) {
        this.server = server;
        this.bootstrap = bootstrap;
    }

    /**
     * Starts the broker on {@code host:port}; port 0 picks a free port on first start and keeps it
     * for later starts on the same directory.
     */
    public static EmbeddedBroker start(Path dir, String host, int port) {
        try {
            Files.createDirectories(dir);
            Properties ports = loadPorts(dir, port);
            int brokerPort = Integer.parseInt(ports.getProperty("broker.port"));
            int controllerPort = Integer.parseInt(ports.getProperty("controller.port"));
            Properties p = new Properties();
            p.put("process.roles", "broker,controller");
            p.put("node.id", "1");
            p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
            p.put("listeners", "PLAINTEXT://" + host + ":" + brokerPort + ",CONTROLLER://" + host + ":" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort);
            p.put("controller.listener.names", "CONTROLLER");
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("log.dirs", dir.resolve("log").toString());
            p.put("offsets.topic.replication.factor", "1");
            p.put("offsets.topic.num.partitions", "1");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("transaction.state.log.num.partitions", "4");
            p.put("share.coordinator.state.topic.replication.factor", "1");
            p.put("share.coordinator.state.topic.min.isr", "1");
            p.put("group.initial.rebalance.delay.ms", "0");
            p.put("log.cleaner.dedupe.buffer.size", "16777216");
            p.put("auto.create.topics.enable", "false");
            p.put("num.partitions", "1");
            Path config = dir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(config)) {
                p.store(out, "written by Vantage at every start");
            }
            if (!Files.exists(dir.resolve("log").resolve("meta.properties"))) {
                ByteArrayOutputStream log = new ByteArrayOutputStream();
                int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()},
                        new PrintStream(log, true, StandardCharsets.UTF_8));
                if (rc != 0) {
                    throw new IllegalStateException("formatting Kafka storage failed: " + log.toString(StandardCharsets.UTF_8));
                }
            }
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p), Time.SYSTEM);
            server.startup();
            return new EmbeddedBroker(server, host + ":" + brokerPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties loadPorts(Path dir, int port) throws IOException {
        Path file = dir.resolve("ports.properties");
        Properties ports = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                ports.load(in);
            }
            if (port == 0 || String.valueOf(port).equals(ports.getProperty("broker.port"))) {
                return ports;
            }
        }
        ports.setProperty("broker.port", String.valueOf(port == 0 ? freePort() : port));
        ports.setProperty("controller.port", String.valueOf(freePort()));
        try (OutputStream out = Files.newOutputStream(file)) {
            ports.store(out, "ports of the embedded Kafka broker");
        }
        return ports;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public String bootstrap() {
        return bootstrap;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
