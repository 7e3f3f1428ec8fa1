package io.vantage.collector;

import java.time.Duration;

/**
 * Limits and secrets of the collector; validated on construction.
 *
 * @param maxBodyBytes     largest {@code /collect} body (the contract: 1 MiB)
 * @param maxBatchEvents   most events in one {@code /collect} batch (the contract: 500)
 * @param maxImportBytes   largest {@code /api/import} body
 * @param produceTimeout   how long to wait for Kafka's acknowledgement before answering 503
 * @param cookielessSecret secret behind the daily cookieless visitor hash
 * @param trustedProxies   the proxies whose {@code X-Forwarded-For} names the client
 * @param rateLimits       events/s per client address and per site on the public routes (imports are the admin's, unlimited)
 * @param pathPrefix       a path ({@code /t}) under which the tracker and every ingestion route are served too, so a
 *                         site can proxy them through its own domain; null for none
 */
public record CollectorConfig(int maxBodyBytes, int maxBatchEvents, int maxImportBytes, Duration produceTimeout,
                              String cookielessSecret, TrustedProxies trustedProxies, RateLimits rateLimits, String pathPrefix) {
    /** A path prefix: one or more segments of letters, digits, '.', '_', '~' or '-', each after a '/'. */
    public static final java.util.regex.Pattern PATH_PREFIX = java.util.regex.Pattern.compile("(/[A-Za-z0-9._~-]+)+");

    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_BATCH_EVENTS = 500;
    public static final int DEFAULT_MAX_IMPORT_BYTES = 64 * 1024 * 1024;
    public static final Duration DEFAULT_PRODUCE_TIMEOUT = Duration.ofSeconds(5);

    public CollectorConfig {
        if (maxBodyBytes <= 0 || maxBatchEvents <= 0 || maxImportBytes <= 0) {
            throw new IllegalArgumentException("collector limits must be positive");
        }
        if (produceTimeout == null || produceTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("produceTimeout must be at least 100 ms: " + produceTimeout);
        }
        if (cookielessSecret == null || cookielessSecret.length() < 16) {
            throw new IllegalArgumentException("cookielessSecret must have at least 16 characters");
        }
        trustedProxies = trustedProxies == null ? TrustedProxies.NONE : trustedProxies;
        rateLimits = rateLimits == null ? RateLimits.DEFAULT : rateLimits;
        if (pathPrefix != null && (!PATH_PREFIX.matcher(pathPrefix).matches() || reserved(pathPrefix))) {
            throw new IllegalArgumentException("the path prefix must look like /t or /stats/v (letters, digits, . _ ~ -), without . or .."
                    + " segments and outside the paths Vantage serves itself (" + String.join(", ", RESERVED) + "): " + pathPrefix);
        }
    }

    /** First path segments Vantage's own routes use: a prefix there would collide with them. */
    static final java.util.List<String> RESERVED = java.util.List.of("api", "internal", "dashboard", "share", "demo", "metrics",
            "health", "e", "i", "capture", "batch", "track", "engage", "decide", "flags", "mp", "collect", "tracker.js",
            "matomo.php", "piwik.php", "com.snowplowanalytics.snowplow");

    private static boolean reserved(String prefix) {
        for (String segment : prefix.substring(1).split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return RESERVED.contains(prefix.substring(1).split("/")[0]);
    }

    /** The paths the public routes are served under: the root, and the prefix when there is one. */
    public java.util.List<String> bases() {
        return pathPrefix == null ? java.util.List.of("") : java.util.List.of("", pathPrefix);
    }

    public static CollectorConfig withSecret(String secret) {
        return new CollectorConfig(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_BATCH_EVENTS, DEFAULT_MAX_IMPORT_BYTES,
                DEFAULT_PRODUCE_TIMEOUT, secret, TrustedProxies.NONE, RateLimits.DEFAULT, null);
    }

    public CollectorConfig withTrustedProxies(TrustedProxies proxies) {
        return new CollectorConfig(maxBodyBytes, maxBatchEvents, maxImportBytes, produceTimeout, cookielessSecret, proxies, rateLimits, pathPrefix);
    }

    public CollectorConfig withRateLimits(RateLimits limits) {
        return new CollectorConfig(maxBodyBytes, maxBatchEvents, maxImportBytes, produceTimeout, cookielessSecret, trustedProxies, limits, pathPrefix);
    }

    public CollectorConfig withPathPrefix(String prefix) {
        return new CollectorConfig(maxBodyBytes, maxBatchEvents, maxImportBytes, produceTimeout, cookielessSecret, trustedProxies, rateLimits,
                prefix);
    }

    public CollectorConfig withMaxBatchEvents(int events) {
        return new CollectorConfig(maxBodyBytes, events, maxImportBytes, produceTimeout, cookielessSecret, trustedProxies, rateLimits, pathPrefix);
    }
}
