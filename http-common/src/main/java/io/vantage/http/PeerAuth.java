package io.vantage.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How processor instances authenticate to each other: each internal request carries
 * {@value #HEADER}{@code : <epoch ms>.<HMAC-SHA256 of method, path, time and body hash>} under the
 * cluster's peer secret. The secret itself never travels, so an address that Kafka Streams
 * metadata advertises (anyone who can join the consumer group can advertise one) learns neither
 * it nor the admin token; a signature is good for one method, path and body for
 * {@link #MAX_SKEW_MS} only.
 */
public final class PeerAuth {
    public static final String HEADER = "X-Vantage-Peer";
    static final long MAX_SKEW_MS = 60_000;
    private final byte[] key;

    /** @param secret the peer secret shared by every processor of the cluster (at least 16 characters) */
    public PeerAuth(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the peer secret must have at least 16 characters");
        }
        this.key = hmac(secret.getBytes(StandardCharsets.UTF_8), "vantage-peer-v1".getBytes(StandardCharsets.UTF_8));
    }

    /** The header value for a request sent now. */
    public String sign(String method, String pathAndQuery, byte[] body, long nowMs) {
        return nowMs + "." + HexFormat.of().formatHex(mac(method, pathAndQuery, body, nowMs));
    }

    /** Refuses (401/403) a request that is not signed by a peer within the allowed clock skew. */
    public void require(Context ctx) {
        String header = ctx.header(HEADER);
        if (header == null || header.isBlank()) {
            throw new ApiException(401, "unauthorized", "internal endpoints answer only peer instances (" + HEADER + ")", null);
        }
        int dot = header.indexOf('.');
        long at;
        byte[] given;
        try {
            at = Long.parseLong(header.substring(0, dot));
            given = HexFormat.of().parseHex(header.substring(dot + 1));
        } catch (RuntimeException e) {
            throw forbidden();
        }
        if (Math.abs(System.currentTimeMillis() - at) > MAX_SKEW_MS) {
            throw forbidden();
        }
        String path = ctx.queryString() == null ? ctx.path() : ctx.path() + "?" + ctx.queryString();
        if (!MessageDigest.isEqual(given, mac(ctx.method().name(), path, ctx.bodyAsBytes(), at))) {
            throw forbidden();
        }
    }

    private static ApiException forbidden() {
        return new ApiException(403, "forbidden", "the peer signature is not valid (or too old)", null);
    }

    private byte[] mac(String method, String pathAndQuery, byte[] body, long at) {
        byte[] bodyHash;
        try {
            bodyHash = MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
        String text = method + "\n" + pathAndQuery + "\n" + at + "\n" + HexFormat.of().formatHex(bodyHash);
        return hmac(key, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
