package io.vantage.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A tracked site: its id (used in the snippet), domain, time zone, goals and read keys. A read key
 * is held only as its SHA-256 (the key itself is shown once, when it is made), so the sites topic
 * and every copy of it give no one access.
 *
 * @param sessionTimeoutMinutes the gap that ends a session (metrics.md {@code session_timeout})
 * @param allowedDomains        when not empty, browser beacons are accepted only from these origins' hosts
 * @param retentionDays         when above 0, visits, their events and the profiles of visitors not seen
 *                              for this many days are deleted, and older events are not counted
 * @param aliases               more identifiers the site answers to on the compatibility routes,
 *                              besides its id and domain: a Umami website UUID, a PostHog project
 *                              key, a Snowplow app id, a Matomo idsite, a GA4 measurement id
 */
public record Site(String id, String domain, String timezone, List<String> goals, List<ReadKey> readKeys,
                   int sessionTimeoutMinutes, List<String> allowedDomains, int retentionDays, List<String> aliases) {
    /** One read key: its public id (to revoke it by), the SHA-256 of the key in hex, and when it was made. */
    public record ReadKey(String id, String hash, long created) {
    }

    public static final int DEFAULT_SESSION_TIMEOUT_MINUTES = 30;
    /** The longest retention a site can set (ten years); 0 keeps everything. */
    public static final int MAX_RETENTION_DAYS = 3660;
    static final long DAY_MS = 86_400_000L;
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public Site {
        goals = goals == null ? List.of() : List.copyOf(goals);
        readKeys = readKeys == null ? List.of() : List.copyOf(readKeys);
        allowedDomains = allowedDomains == null ? List.of() : List.copyOf(allowedDomains);
        timezone = timezone == null || timezone.isBlank() ? "UTC" : timezone;
        sessionTimeoutMinutes = sessionTimeoutMinutes <= 0 ? DEFAULT_SESSION_TIMEOUT_MINUTES : sessionTimeoutMinutes;
        retentionDays = Math.max(0, Math.min(retentionDays, MAX_RETENTION_DAYS));
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }

    /** A site that keeps everything. */
    public Site(String id, String domain, String timezone, List<String> goals, List<ReadKey> readKeys,
                int sessionTimeoutMinutes, List<String> allowedDomains) {
        this(id, domain, timezone, goals, readKeys, sessionTimeoutMinutes, allowedDomains, 0);
    }

    /** A site without aliases. */
    public Site(String id, String domain, String timezone, List<String> goals, List<ReadKey> readKeys,
                int sessionTimeoutMinutes, List<String> allowedDomains, int retentionDays) {
        this(id, domain, timezone, goals, readKeys, sessionTimeoutMinutes, allowedDomains, retentionDays, List.of());
    }

    /** A site whose only read key is {@code readKey} (kept as its hash; null for none). */
    public Site(String id, String domain, String timezone, List<String> goals, String readKey,
                int sessionTimeoutMinutes, List<String> allowedDomains) {
        this(id, domain, timezone, goals, readKey == null ? List.of() : List.of(new ReadKey("k1", hash(readKey), 0)),
                sessionTimeoutMinutes, allowedDomains);
    }

    /**
     * From the sites topic, where a record of an earlier version holds its read key as {@code read_key}
     * in clear: that key is kept as its hash from then on.
     */
    @JsonCreator
    static Site fromJson(@JsonProperty("id") String id, @JsonProperty("domain") String domain,
                         @JsonProperty("timezone") String timezone, @JsonProperty("goals") List<String> goals,
                         @JsonProperty("read_keys") List<ReadKey> readKeys, @JsonProperty("read_key") String legacyReadKey,
                         @JsonProperty("session_timeout_minutes") int sessionTimeoutMinutes,
                         @JsonProperty("allowed_domains") List<String> allowedDomains,
                         @JsonProperty("retention_days") int retentionDays,
                         @JsonProperty("aliases") List<String> aliases) {
        List<ReadKey> keys = readKeys == null && legacyReadKey != null
                ? List.of(new ReadKey("k1", hash(legacyReadKey), 0)) : readKeys;
        return new Site(id, domain, timezone, goals, keys, sessionTimeoutMinutes, allowedDomains, retentionDays, aliases);
    }

    /** This site with other read keys. */
    public Site withReadKeys(List<ReadKey> keys) {
        return new Site(id, domain, timezone, goals, keys, sessionTimeoutMinutes, allowedDomains, retentionDays, aliases);
    }

    /**
     * The earliest time whose data the site keeps at {@code now}: {@code now} less its retention,
     * or {@link Long#MIN_VALUE} when it keeps everything.
     */
    public long retainedFrom(long now) {
        return retentionDays == 0 ? Long.MIN_VALUE : now - retentionDays * DAY_MS;
    }

    /** Whether {@code token} is one of the site's read keys (compared as hashes, in constant time). */
    public boolean readableWith(String token) {
        if (token == null) {
            return false;
        }
        String presented = hash(token);
        boolean match = false;
        for (ReadKey key : readKeys) {
            match |= sameHash(presented, key.hash());
        }
        return match;
    }

    /** Whether two hashes of {@link #hash} are the same, compared in constant time. */
    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    /** The SHA-256 of a token, in hex. */
    public static String hash(String token) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    public ZoneId zone() {
        return ZoneId.of(timezone);
    }

    public long sessionTimeoutMs() {
        return sessionTimeoutMinutes * 60_000L;
    }

    /** Whether {@code identifier} is one of the site's aliases (surrounding spaces and case ignored). */
    public boolean hasAlias(String identifier) {
        if (identifier == null) {
            return false;
        }
        String id = identifier.strip();
        return aliases.stream().anyMatch(id::equalsIgnoreCase);
    }

    public boolean isGoal(String eventName) {
        return eventName != null && goals.contains(eventName);
    }

    /** Whether a time zone name is one Java knows, e.g. {@code Europe/Berlin}. */
    public static boolean isValidZone(String zone) {
        try {
            ZoneId.of(zone);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }
}
