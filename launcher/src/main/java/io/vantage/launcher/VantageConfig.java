package io.vantage.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * The configuration of every Vantage process, read once from the environment and validated.
 *
 * <ul>
 *   <li>{@code VANTAGE_PORT} (8080): the HTTP port; 0 picks a free one</li>
 *   <li>{@code VANTAGE_HOST} (127.0.0.1): the address to bind and to advertise to peer instances</li>
 *   <li>{@code VANTAGE_DATA_DIR} (./data): Kafka log (local mode), state stores, secrets</li>
 *   <li>{@code VANTAGE_KAFKA_BOOTSTRAP} (127.0.0.1:9092): the Kafka cluster (not in local mode)</li>
 *   <li>{@code VANTAGE_ADMIN_TOKEN}: the admin token; local mode generates and keeps one when unset</li>
 *   <li>{@code VANTAGE_SECRET}: the cookieless-hash secret; generated and kept in the data dir when unset</li>
 *   <li>{@code VANTAGE_PARTITIONS} (4): partitions of the event topics when they are created</li>
 *   <li>{@code VANTAGE_STREAM_THREADS} (1): processing threads of a processor</li>
 *   <li>{@code VANTAGE_TRUSTED_PROXIES}: addresses and CIDR ranges of the proxies whose
 *       {@code X-Forwarded-For} names the client (none by default: the connection's address is the client's)</li>
 *   <li>{@code VANTAGE_PEER_SECRET}: what processors sign their calls to each other with (derived from the
 *       admin token when unset; set it to keep the two apart)</li>
 *   <li>{@code VANTAGE_RATE_PER_ADDRESS} (200) and {@code VANTAGE_RATE_PER_SITE} (20000): events per second the
 *       collector takes from one client address and for one site, with bursts of ten seconds' worth; beyond them
 *       it answers 429 with {@code Retry-After}; 0 switches a limit off</li>
 *   <li>{@code VANTAGE_PATH_PREFIX}: a path ({@code /t}) under which the collector also serves the tracker and every
 *       ingestion route, so a site can proxy them through its own domain (none by default)</li>
 *   <li>{@code VANTAGE_KAFKA_PROPERTIES}: a file of Kafka client properties (TLS, SASL) every client of the
 *       process starts from ({@link io.vantage.model.KafkaClients})</li>
 *   <li>{@code VANTAGE_UPGRADE}: {@code discard-history} starts a processor on data of an earlier engine design
 *       even when the raw topics no longer hold all of it ({@link UpgradeCheck})</li>
 * </ul>
 */
public record VantageConfig(int port, String host, Path dataDir, String kafkaBootstrap, String adminToken, String secret,
                            int partitions, int streamThreads, String upgrade, String trustedProxies, String peerSecret,
                            io.vantage.collector.RateLimits rateLimits, String pathPrefix) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public VantageConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("VANTAGE_PORT must be 0-65535, got " + port);
        }
        if (partitions < 1 || partitions > 1024) {
            throw new IllegalArgumentException("VANTAGE_PARTITIONS must be 1-1024, got " + partitions);
        }
        if (streamThreads < 1 || streamThreads > 64) {
            throw new IllegalArgumentException("VANTAGE_STREAM_THREADS must be 1-64, got " + streamThreads);
        }
        // Fails fast on a malformed list (the parse is repeated where the collector starts).
        io.vantage.collector.TrustedProxies.parse(trustedProxies);
        if (peerSecret != null && peerSecret.length() < 16) {
            throw new IllegalArgumentException("VANTAGE_PEER_SECRET must have at least 16 characters");
        }
        rateLimits = rateLimits == null ? io.vantage.collector.RateLimits.DEFAULT : rateLimits;
        if (pathPrefix != null && !io.vantage.collector.CollectorConfig.PATH_PREFIX.matcher(pathPrefix).matches()) {
            throw new IllegalArgumentException("VANTAGE_PATH_PREFIX must look like /t or /stats/v (letters, digits, . _ ~ -), got " + pathPrefix);
        }
        if (adminToken != null && adminToken.length() < 16) {
            throw new IllegalArgumentException("VANTAGE_ADMIN_TOKEN must have at least 16 characters");
        }
    }

    public static VantageConfig fromEnv(Map<String, String> env) {
        try {
            // Read here once more so that an unreadable file is a clear error at start.
            io.vantage.model.KafkaClients.load(env.get(io.vantage.model.KafkaClients.ENV));
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new VantageConfig(
                integer(env, "VANTAGE_PORT", 8080),
                env.getOrDefault("VANTAGE_HOST", "127.0.0.1"),
                Path.of(env.getOrDefault("VANTAGE_DATA_DIR", "data")).toAbsolutePath(),
                env.getOrDefault("VANTAGE_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
                blankToNull(env.get("VANTAGE_ADMIN_TOKEN")),
                blankToNull(env.get("VANTAGE_SECRET")),
                integer(env, "VANTAGE_PARTITIONS", 4),
                integer(env, "VANTAGE_STREAM_THREADS", 1),
                blankToNull(env.get(UpgradeCheck.ENV)),
                blankToNull(env.get("VANTAGE_TRUSTED_PROXIES")),
                blankToNull(env.get("VANTAGE_PEER_SECRET")),
                new io.vantage.collector.RateLimits(
                        integer(env, "VANTAGE_RATE_PER_ADDRESS", io.vantage.collector.RateLimits.DEFAULT.perAddress()),
                        integer(env, "VANTAGE_RATE_PER_SITE", io.vantage.collector.RateLimits.DEFAULT.perSite())),
                blankToNull(env.get("VANTAGE_PATH_PREFIX")));
    }

    public VantageConfig withBootstrap(String bootstrap) {
        return new VantageConfig(port, host, dataDir, bootstrap, adminToken, secret, partitions, streamThreads, upgrade, trustedProxies, peerSecret, rateLimits, pathPrefix);
    }

    public VantageConfig withPort(int newPort) {
        return new VantageConfig(newPort, host, dataDir, kafkaBootstrap, adminToken, secret, partitions, streamThreads, upgrade, trustedProxies, peerSecret, rateLimits, pathPrefix);
    }

    /**
     * The secret processors sign their calls to each other with: {@code VANTAGE_PEER_SECRET}, or
     * else one derived from {@code fallback} (the admin token every processor of a cluster shares;
     * only a signature derived from it travels, never the token).
     */
    public String peerSecretOr(String fallback) {
        return peerSecret != null ? peerSecret : "derived:" + fallback;
    }

    /** The admin token, or one generated once and kept in the data directory. */
    public String adminTokenOrKept() {
        return adminToken != null ? adminToken : kept("admin-token", "vt_");
    }

    /** The cookieless secret, or one generated once and kept in the data directory. */
    public String secretOrKept() {
        return secret != null ? secret : kept("secret", "");
    }

    public String requireAdminToken() {
        if (adminToken == null) {
            throw new IllegalArgumentException("VANTAGE_ADMIN_TOKEN is required (every instance of a cluster shares it)");
        }
        return adminToken;
    }

    private String kept(String name, String prefix) {
        Path file = dataDir.resolve(name);
        try {
            if (Files.exists(file)) {
                ownerOnly(file);
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            Files.createDirectories(dataDir);
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            String value = prefix + HexFormat.of().formatHex(bytes);
            // Created readable by the owner only, before the secret is written into it.
            Files.createFile(file);
            ownerOnly(file);
            Files.writeString(file, value, StandardCharsets.UTF_8);
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep " + name + " in " + dataDir, e);
        }
    }

    /** rw------- where the file system has POSIX permissions (a secret is nobody else's to read). */
    private static void ownerOnly(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
        }
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }
}
