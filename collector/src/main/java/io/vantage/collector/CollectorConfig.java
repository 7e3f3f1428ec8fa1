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
 */
public record CollectorConfig(int maxBodyBytes, int maxBatchEvents, int maxImportBytes, Duration produceTimeout,
                              String cookielessSecret, TrustedProxies trustedProxies, RateLimits rateLimits) {
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
    }

    public static CollectorConfig withSecret(String secret) {
        return new CollectorConfig(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_BATCH_EVENTS, DEFAULT_MAX_IMPORT_BYTES,
                DEFAULT_PRODUCE_TIMEOUT, secret, TrustedProxies.NONE, RateLimits.DEFAULT);
    }

    public CollectorConfig withTrustedProxies(TrustedProxies proxies) {
        return new CollectorConfig(maxBodyBytes, maxBatchEvents, maxImportBytes, produceTimeout, cookielessSecret, proxies, rateLimits);
    }

    public CollectorConfig withRateLimits(RateLimits limits) {
        return new CollectorConfig(maxBodyBytes, maxBatchEvents, maxImportBytes, produceTimeout, cookielessSecret, trustedProxies, limits);
    }

    public CollectorConfig withMaxBatchEvents(int events) {
        return new CollectorConfig(maxBodyBytes, events, maxImportBytes, produceTimeout, cookielessSecret, trustedProxies, rateLimits);
    }
}
