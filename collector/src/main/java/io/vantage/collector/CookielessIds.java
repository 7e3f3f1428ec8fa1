package io.vantage.collector;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Visitor ids without cookies. A live beacon without an id gets a keyed hash of the day's random
 * salt ({@link DailySalts}), the site, the client IP and the User-Agent: it changes every day and,
 * once the salt is destroyed, cannot be recomputed by anyone. An imported log line gets a keyed
 * hash under the server secret instead, stable across the log's days. The IP is never stored.
 */
final class CookielessIds {
    private static final long DAY_MS = 86_400_000L;
    private final byte[] importKey;
    private final DailySalts salts;

    CookielessIds(String secret, DailySalts salts) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the cookieless secret must have at least 16 characters");
        }
        // Derived once: the secret itself keys nothing else here.
        this.importKey = hmac(secret.getBytes(StandardCharsets.UTF_8), "import-visitor");
        this.salts = salts;
    }

    /**
     * The id under the salt of the event's UTC day, so that a retry after midnight has the id
     * (and the partition, where duplicates are found) it had the first time; under the receive
     * day's salt when the event day's is no longer known.
     */
    String visitorId(String site, String ip, String userAgent, long eventTime, long receivedAt) {
        long day = Math.floorDiv(eventTime, DAY_MS);
        long receiveDay = Math.floorDiv(receivedAt, DAY_MS);
        byte[] salt;
        try {
            salt = salts.saltOf(day);
        } catch (io.vantage.model.StorageUnavailableException e) {
            if (day == receiveDay) {
                throw e;
            }
            salt = salts.saltOf(receiveDay);
        }
        byte[] id = hmac(salt, site + '\n' + ip + '\n' + (userAgent == null ? "" : userAgent));
        return "c:" + HexFormat.of().formatHex(id, 0, 12);
    }

    /**
     * The visitor id of an imported log line without one: a keyed hash of the site, the log's
     * client host and User-Agent, the same on every day of the log and on every import, and not
     * the host itself (which would become a store key and an id in the profile API).
     */
    String importVisitorId(String site, String host, String userAgent) {
        byte[] id = hmac(importKey, site + '\n' + host + '\n' + (userAgent == null ? "" : userAgent));
        return "h:" + HexFormat.of().formatHex(id, 0, 12);
    }

    /** One Mac per thread: looking the algorithm up ({@code Mac.getInstance}) cost more than the hash (JFR, an import). */
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    });

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = MACS.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
