package io.vantage.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code bin/vantage local} as a user runs it: one process holding the embedded broker, the
 * collector, the processor and the API, with the JVM options of {@code bin/vantage}. The queries
 * section loads and queries it, so that its footprint is the one the engine's target speaks of.
 */
final class LocalMode implements AutoCloseable {
    private final Child child;
    private final Api api;
    private final String bootstrap;

    private LocalMode(Child child, Api api, String bootstrap) {
        this.child = child;
        this.api = api;
        this.bootstrap = bootstrap;
    }

    static LocalMode start(Path dir) throws IOException, InterruptedException {
        int port = Cluster.freePort();
        Map<String, String> env = Cluster.commonEnv();
        env.put("VANTAGE_PORT", String.valueOf(port));
        env.put("VANTAGE_DATA_DIR", dir.toString());
        Child child = Child.vantage("local", "local", List.of(), env, dir.getParent(), "is ready in");
        // The embedded broker keeps the port it chose in its data folder.
        Properties ports = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("kafka").resolve("ports.properties"))) {
            ports.load(in);
        } catch (IOException | RuntimeException e) {
            child.close();
            throw e;
        }
        return new LocalMode(child, new Api("http://127.0.0.1:" + port, Cluster.TOKEN), "127.0.0.1:" + ports.getProperty("broker.port"));
    }

    Api api() {
        return api;
    }

    String bootstrap() {
        return bootstrap;
    }

    Child child() {
        return child;
    }

    @Override
    public void close() {
        child.close();
    }
}
