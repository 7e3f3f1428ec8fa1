package io.vantage.collector;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.vantage.http.ApiException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets (Bucket4j) per client address and per site. A flood from one address spends its
 * own bucket and is answered 429 while other addresses go on; a flood on one site, from however
 * many addresses, spends that site's bucket and leaves the other sites' events alone. Addresses
 * are kept in memory only, in a bounded cache (Caffeine) forgotten after ten idle minutes.
 */
final class RateLimiter {
    private static final int MAX_ADDRESSES = 200_000;
    private final RateLimits limits;
    private final int maxBatchEvents;
    private final TimeMeter time;
    private final Cache<String, Bucket> addresses = Caffeine.newBuilder()
            .maximumSize(MAX_ADDRESSES).expireAfterAccess(Duration.ofMinutes(10)).build();
    private final Map<String, Bucket> sites = new ConcurrentHashMap<>();

    RateLimiter(RateLimits limits, int maxBatchEvents, TimeMeter time) {
        this.limits = limits;
        this.maxBatchEvents = maxBatchEvents;
        this.time = time;
    }

    /** Takes {@code events} from the address's bucket, or throws the 429 that says when to retry. */
    void admitAddress(String address, int events) {
        if (limits.perAddress() > 0 && events > 0) {
            Bucket bucket = addresses.get(addressKey(address), a -> bucket(limits.perAddress()));
            admit(bucket, events, "address", limits.perAddress());
        }
    }

    /** Gives back what {@link #admitAddress} took for a request refused later (by its site's limit). */
    void refundAddress(String address, int events) {
        if (limits.perAddress() > 0 && events > 0) {
            Bucket bucket = addresses.getIfPresent(addressKey(address));
            if (bucket != null) {
                bucket.addTokens(events);
            }
        }
    }

    /** Gives back what {@link #admitSite} took for a request refused by another site's limit. */
    void refundSite(String site, int events) {
        Bucket bucket = sites.get(site);
        if (bucket != null && events > 0) {
            bucket.addTokens(events);
        }
    }

    /** Takes {@code events} from the site's bucket, or throws the 429 that says when to retry. */
    void admitSite(String site, int events) {
        if (limits.perSite() > 0 && events > 0) {
            admit(sites.computeIfAbsent(site, s -> bucket(limits.perSite())), events, "site", limits.perSite());
        }
    }

    private void admit(Bucket bucket, int events, String what, int perSecond) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(events);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
            throw new RateLimitedException(what, perSecond, seconds);
        }
    }

    private Bucket bucket(int perSecond) {
        long burst = RateLimits.burst(perSecond, maxBatchEvents);
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
                .withCustomTimePrecision(time)
                .build();
    }

    /** An IPv4 address as it is; an IPv6 address by its /64 (one host can hold a whole /64). */
    static String addressKey(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        if (address.indexOf(':') < 0) {
            return address;
        }
        InetAddress parsed = io.vantage.collector.client.IpLiterals.parse(address);
        byte[] bytes = parsed == null ? null : parsed.getAddress();
        return bytes == null || bytes.length != 16 ? address : java.util.HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
    }

    /** A 429 with the seconds to wait in {@code Retry-After}. */
    static final class RateLimitedException extends ApiException {
        private final String limit;

        RateLimitedException(String limit, int perSecond, long retryAfterSeconds) {
            super(429, "rate_limited", "more than " + perSecond + " events/s " + ("site".equals(limit) ? "for this site" : "from this address")
                    + "; retry after " + retryAfterSeconds + " s", null, retryAfterSeconds);
            this.limit = limit;
        }

        /** Which limit refused: {@code address} or {@code site}. */
        String limit() {
            return limit;
        }
    }
}
