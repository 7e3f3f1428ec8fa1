package io.vantage.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A Vantage cluster on this machine as an operator runs it: a broker, collectors and processors,
 * each {@code bin/vantage} command in its own process, sharing one admin token and secret.
 */
final class Cluster implements AutoCloseable {
    static final String TOKEN = "vt_bench_admin_token_0123456789";
    private static final String SECRET = "bench-secret-0123456789";
    private final Path dir;
    private final Child broker;
    private final String bootstrap;
    private final Admin admin;
    private final List<Child> children = new ArrayList<>();
    private int processors;

    private Cluster(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        Files.createDirectories(dir);
        bootstrap = "127.0.0.1:" + freePort();
        broker = Child.vantage("broker", "broker", List.of(), env(Map.of("VANTAGE_DATA_DIR", dir.resolve("broker").toString())),
                dir, "Kafka broker ready");
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        io.vantage.launcher.KafkaTopics.ensure(admin, BenchMain.PARTITIONS);
    }

    /** A new broker with Vantage's topics, its data under {@code dir}. */
    static Cluster start(Path dir) throws IOException, InterruptedException {
        return new Cluster(dir);
    }

    String bootstrap() {
        return bootstrap;
    }

    Admin admin() {
        return admin;
    }

    Path dir() {
        return dir;
    }

    Child broker() {
        return broker;
    }

    Path brokerDir() {
        return dir.resolve("broker");
    }

    /** A collector process; its API at the returned base URL. */
    Api collector() throws IOException, InterruptedException {
        int port = freePort();
        children.add(Child.vantage("collector", "collector", List.of(), env(Map.of("VANTAGE_PORT", String.valueOf(port),
                "VANTAGE_DATA_DIR", dir.resolve("collector").toString())), dir, "is ready in"));
        return new Api("http://127.0.0.1:" + port, TOKEN);
    }

    /** A processor process with {@code threads} stream threads, and its API. */
    Node processor(int threads) throws IOException, InterruptedException {
        int port = freePort();
        int n = ++processors;
        Path data = dir.resolve("processor-" + n);
        Child c = Child.vantage("processor-" + n, "processor", List.of(), env(Map.of("VANTAGE_PORT", String.valueOf(port),
                "VANTAGE_DATA_DIR", data.toString(), "VANTAGE_STREAM_THREADS", String.valueOf(threads))), dir, null);
        children.add(c);
        return new Node(c, new Api("http://127.0.0.1:" + port, TOKEN), data);
    }

    /** A started process and its HTTP API. */
    record Node(Child child, Api api, Path dataDir) {
        Node awaitReady() throws IOException, InterruptedException {
            child.awaitLog("is ready in", java.time.Duration.ofSeconds(180));
            return this;
        }
    }

    /** The environment of every process of this cluster, plus {@code extra}. */
    Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = commonEnv();
        env.put("VANTAGE_KAFKA_BOOTSTRAP", bootstrap);
        env.putAll(extra);
        return env;
    }

    /** What every Vantage process the bench starts shares, local mode's included: token, secret, address, limits, partitions. */
    static Map<String, String> commonEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("VANTAGE_ADMIN_TOKEN", TOKEN);
        env.put("VANTAGE_SECRET", SECRET);
        env.put("VANTAGE_HOST", "127.0.0.1");
        // All load comes from one address and for one site: the limits stay on (their cost is measured) but far above it.
        env.put("VANTAGE_RATE_PER_ADDRESS", "100000000");
        env.put("VANTAGE_RATE_PER_SITE", "100000000");
        env.put("VANTAGE_PARTITIONS", String.valueOf(BenchMain.PARTITIONS));
        return env;
    }

    /** Stops one process of this cluster (started by {@link #processor} or {@link #collector}). */
    void stop(Child child) {
        child.close();
        children.remove(child);
    }

    @Override
    public void close() {
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).close();
        }
        admin.close();
        broker.close();
        deleteTree(dir);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Bytes a folder takes on disk ({@code du}: allocated blocks, so Kafka's preallocated sparse index files count as what they use). */
    static long diskUsage(Path root) {
        if (!Files.exists(root)) {
            return 0;
        }
        try {
            Process p = new ProcessBuilder("du", "-sk", root.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            return Long.parseLong(out.trim().split("\\s+")[0]) * 1024;
        } catch (IOException | NumberFormatException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e.getMessage());
        }
    }
}
