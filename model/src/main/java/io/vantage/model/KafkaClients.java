package io.vantage.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The settings every Kafka client of Vantage starts from: the bootstrap servers and the operator's
 * own client properties, read once from the file {@code VANTAGE_KAFKA_PROPERTIES} names (TLS and
 * SASL: {@code security.protocol}, {@code ssl.truststore.location}, {@code sasl.mechanism},
 * {@code sasl.jaas.config}, ...). Producers, consumers, admin clients and Kafka Streams all get
 * them, so one file puts a whole deployment on an authenticated, encrypted cluster.
 */
public final class KafkaClients {
    public static final String ENV = "VANTAGE_KAFKA_PROPERTIES";
    private static final Map<String, Object> OPERATOR = load(System.getenv(ENV));

    private KafkaClients() {
    }

    /** The operator's settings, the bootstrap servers, then {@code own} (a client's own settings win). */
    public static Map<String, Object> settings(String bootstrap, Map<String, ?> own) {
        Map<String, Object> out = new HashMap<>(OPERATOR);
        out.put("bootstrap.servers", bootstrap);
        out.putAll(own);
        return out;
    }

    /** {@link #settings} as {@link Properties}. */
    public static Properties properties(String bootstrap) {
        Properties p = new Properties();
        p.putAll(settings(bootstrap, Map.of()));
        return p;
    }

    /** The client properties in {@code file}; none when it is null. A file that cannot be read stops the process. */
    public static Map<String, Object> load(String file) {
        if (file == null || file.isBlank()) {
            return Map.of();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(file.strip()))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(ENV + " names '" + file + "', which cannot be read", e);
        }
        Map<String, Object> out = new HashMap<>();
        p.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v).strip()));
        out.remove("bootstrap.servers");
        return Map.copyOf(out);
    }
}
