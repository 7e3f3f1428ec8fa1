package io.vantage.collector;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Visitor ids for cookieless mode: a keyed hash of the day's salt, the site, the client IP and the
 * User-Agent. The salt is derived from a server secret and the UTC day, so the id changes every day
 * and cannot be linked across days without the secret; the IP is never stored.
 */
final class CookielessIds {
    private static final long DAY_MS = 86_400_000L;
    private final byte[] secret;

    CookielessIds(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the cookieless secret must have at least 16 characters");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    String visitorId(String site, String ip, String userAgent, long receivedAt) {
        long day = Math.floorDiv(receivedAt, DAY_MS);
        byte[] salt = hmac(secret, "salt:" + day);
        byte[] id = hmac(salt, site + '\n' + ip + '\n' + (userAgent == null ? "" : userAgent));
        return "c:" + HexFormat.of().formatHex(id, 0, 12);
    }

    /**
     * The visitor id of an imported log line without one: a keyed hash of the site, the log's
     * client host and User-Agent, the same on every day of the log and on every import, and not
     * the host itself (which would become a store key and an id in the profile API).
     */
    String importVisitorId(String site, String host, String userAgent) {
        byte[] key = hmac(secret, "import-visitor");
        byte[] id = hmac(key, site + '\n' + host + '\n' + (userAgent == null ? "" : userAgent));
        return "h:" + HexFormat.of().formatHex(id, 0, 12);
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
