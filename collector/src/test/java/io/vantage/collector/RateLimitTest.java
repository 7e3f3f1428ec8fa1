package io.vantage.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.TimeMeter;
import io.vantage.testing.TestHttp.Response;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-address and per-site rate limits on {@code /collect}: 2 events/s per address (burst 20) and
 * 5 events/s per site (burst 50), on a clock the test moves, behind a trusted proxy that names each
 * client in {@code X-Forwarded-For}.
 */
class RateLimitTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private CollectorHarness c;

    @BeforeEach
    void start() {
        TimeMeter time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanos.get();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        c = new CollectorHarness(CollectorConfig.withSecret("cookieless-secret-0123456789").withMaxBatchEvents(10)
                .withTrustedProxies(TrustedProxies.parse("127.0.0.1")).withRateLimits(new RateLimits(2, 5)), time);
        c.sites.create(new io.vantage.model.Site("flooded", "flooded.com", "UTC", java.util.List.of(), "rk_flooded", 30, java.util.List.of()));
    }

    @AfterEach
    void stop() {
        c.close();
    }

    @Test
    void aFloodFromOneAddressIsAnswered429WithRetryAfterWhileOtherAddressesGoOn() {
        assertThat(send("198.51.100.1", "example", 10).status()).isEqualTo(202);
        assertThat(send("198.51.100.1", "example", 10).status()).isEqualTo(202);

        Response refused = send("198.51.100.1", "example", 1);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).as("one token refills in half a second: retry after 1 s").isEqualTo("1");
        assertThat(refused.json().get("error").asText()).isEqualTo("rate_limited");
        assertThat(refused.json().get("message").asText()).contains("2 events/s from this address");
        assertThat(c.http.post("/collect", "{not json", "X-Forwarded-For", "198.51.100.1").status())
                .as("garbage is refused before it is parsed or stored").isEqualTo(429);

        assertThat(send("198.51.100.2", "example", 10).status()).as("another address").isEqualTo(202);
        assertThat(send("2001:db8::1", "example", 10).status()).isEqualTo(202);
        assertThat(send("2001:db8::2", "example", 10).status()).isEqualTo(202);
        assertThat(send("2001:db8::3", "example", 1).status()).as("an IPv6 host counts by its /64").isEqualTo(429);

        nanos.addAndGet(1_000_000_000L);
        assertThat(send("198.51.100.1", "example", 2).status()).as("two tokens a second later").isEqualTo(202);
        assertThat(send("198.51.100.1", "example", 1).status()).isEqualTo(429);

        assertThat(c.sink.events).as("refused requests store nothing, so their retries count once").hasSize(10 + 10 + 10 + 10 + 10 + 2);
        assertThat(c.sink.bad).isEmpty();
        assertThat(rejected("rate_limited_address")).isEqualTo(1 + 1 + 1 + 1);
    }

    @Test
    void aFloodOnOneSiteFromManyAddressesLeavesOtherSitesAlone() {
        for (int i = 1; i <= 5; i++) {
            assertThat(send("203.0.113." + i, "flooded", 10).status()).isEqualTo(202);
        }
        Response refused = send("203.0.113.6", "flooded", 10);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("message").asText()).contains("5 events/s for this site");
        assertThat(refused.header("Retry-After")).as("10 events at 5/s: 2 s").isEqualTo("2");

        assertThat(send("203.0.113.6", "example", 10).status()).as("the same address, another site").isEqualTo(202);
        assertThat(send("203.0.113.6", "example", 10).status()).as("the refused request's address tokens were given back").isEqualTo(202);
        String mixed = "[{\"site\":\"example\",\"type\":\"pageview\",\"url\":\"https://example.com/\",\"visitor_id\":\"m\"},"
                + "{\"site\":\"flooded\",\"type\":\"pageview\",\"url\":\"https://flooded.com/\",\"visitor_id\":\"m\"}]";
        int before = c.sink.events.size();
        assertThat(c.http.post("/collect", mixed, "X-Forwarded-For", "203.0.113.7").status())
                .as("a batch for two sites is refused whole when one of them is over its limit").isEqualTo(429);
        assertThat(c.sink.events).hasSize(before);
        assertThat(c.sink.events.stream().filter(e -> e.site().equals("flooded"))).hasSize(50);
        assertThat(rejected("rate_limited_site")).isEqualTo(10 + 2);
    }

    @Test
    void imageBeaconsAreLimitedAlikeAndImportsAreNot() {
        for (int i = 0; i < 20; i++) {
            send("192.0.2.9", "example", 1);
        }
        Response gif = c.http.get("/collect.gif?site=example&type=pageview&url=https://example.com/&visitor_id=v",
                "X-Forwarded-For", "192.0.2.9");
        assertThat(gif.status()).isEqualTo(429);
        assertThat(gif.header("Retry-After")).isNotNull();

        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            lines.append("{\"site\":\"example\",\"type\":\"pageview\",\"url\":\"https://example.com/\",\"visitor_id\":\"i\",\"ts\":\"2024-03-01T10:00:00Z\"}\n");
        }
        Response imported = c.admin.post("/api/import", lines.toString(), "X-Forwarded-For", "192.0.2.9");
        assertThat(imported.status()).as("imports are the admin's").isEqualTo(200);
        assertThat(imported.json().get("accepted").asInt()).isEqualTo(100);
    }

    private Response send(String address, String site, int events) {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < events; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"site\":\"").append(site)
                    .append("\",\"type\":\"pageview\",\"url\":\"https://").append(site).append(".com/\",\"visitor_id\":\"v")
                    .append(i).append("\"}");
        }
        return c.http.post("/collect", batch.append(']').toString(), "X-Forwarded-For", address);
    }

    private double rejected(String reason) {
        io.micrometer.core.instrument.Counter counter = c.registry.find("vantage.events.rejected").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }
}
