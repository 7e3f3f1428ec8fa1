package io.vantage.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vantage.model.BadEvent;
import io.vantage.testing.HostileInputs;
import io.vantage.testing.TestEvents;
import io.vantage.testing.TestHttp.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of the ingestion and site routes over real HTTP: hostile bodies (wrong
 * types, overflowing numbers and times, control characters, invalid UTF-8, deep nesting, huge
 * values, injection strings) never get a 5xx, every rejection is a 4xx JSON error with a reason,
 * and every rejected event is kept as a bad event with its reason (nothing is lost).
 */
class HostileInputFuzzTest {
    static final int TRIES = 20_000;
    private static CollectorHarness c;

    @BeforeContainer
    static void start() {
        // Tens of thousands of requests from one address: the rate limits have their own test.
        c = new CollectorHarness(CollectorConfig.withSecret("cookieless-secret-0123456789").withRateLimits(RateLimits.NONE),
                io.github.bucket4j.TimeMeter.SYSTEM_NANOTIME);
    }

    @AfterContainer
    static void stop() {
        c.close();
    }

    @AfterTry
    void forget() {
        c.sink.events.clear();
        c.sink.bad.clear();
    }

    static Map<String, Object> event() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("site", "example");
        e.put("type", "pageview");
        e.put("url", "https://example.com/pricing?utm_source=news");
        e.put("referrer", "https://www.google.com/");
        e.put("visitor_id", "v1");
        e.put("event_id", "e1");
        e.put("ts", 1_709_294_390_000L);
        e.put("sent_at", 1_709_294_395_000L);
        e.put("name", "signup");
        e.put("props", Map.of("plan", "pro"));
        e.put("traits", Map.of("gender", "f"));
        e.put("x", 10);
        e.put("scroll_pct", 50);
        e.put("engaged_ms", 1000);
        e.put("screen", "1920x1080");
        return e;
    }

    @Provide
    Arbitrary<byte[]> events() {
        return HostileInputs.bodies(event());
    }

    @Provide
    Arbitrary<String> gifQueries() {
        return HostileInputs.documents(event()).map(node -> {
            StringJoiner q = new StringJoiner("&");
            node.fields().forEachRemaining(f -> q.add(URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString(), StandardCharsets.UTF_8)));
            return q.toString();
        });
    }

    @Provide
    Arbitrary<byte[]> imports() {
        Map<String, Object> line = event();
        line.remove("sent_at");
        line.put("ip", "192.0.2.1");
        line.put("user_agent", TestEvents.CHROME_UA);
        line.put("ts", "1995-08-01T06:00:00Z");
        return Arbitraries.longs().map(seed -> {
            java.util.Random r = new java.util.Random(seed);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (int i = 1 + r.nextInt(3); i > 0; i--) {
                out.writeBytes(HostileInputs.body(r, line));
                out.write('\n');
            }
            return out.toByteArray();
        });
    }

    @Provide
    Arbitrary<byte[]> sites() {
        Map<String, Object> site = new LinkedHashMap<>();
        site.put("id", "fuzz");
        site.put("domain", "fuzz.example");
        site.put("timezone", "Europe/Berlin");
        site.put("goals", List.of("signup"));
        site.put("session_timeout_minutes", 30);
        site.put("allowed_domains", List.of("fuzz.example"));
        // Mostly invalid: a valid one would be created once and then be a 409 (a 4xx, which is fine).
        return HostileInputs.bodies(site);
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void collectNeverFailsAndKeepsEveryRejectedEvent(@ForAll("events") byte[] body) {
        Response r = c.http.post("/collect", body, "User-Agent", TestEvents.CHROME_UA, "Content-Type", "text/plain");

        assertAnswered(r, 202);
        if (r.status() == 400 && "invalid_field".equals(r.json().path("error").asText())) {
            assertThat(c.sink.bad).as("a rejected event is kept with its reason").isNotEmpty()
                    .allSatisfy(b -> assertThat(b.reason()).isNotBlank());
        }
        if (r.status() == 202) {
            assertThat(c.sink.events).hasSize(r.json().get("accepted").asInt());
        }
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void gifBeaconNeverFails(@ForAll("gifQueries") String query) {
        Response r = c.http.get("/collect.gif?" + query, "User-Agent", TestEvents.CHROME_UA);

        assertAnswered(r, 200);
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void importNeverFailsAndCountsEveryLine(@ForAll("imports") byte[] body) {
        Response r = c.admin.post("/api/import?site=example", body, "Content-Type", "application/x-ndjson");

        assertAnswered(r, 200);
        if (r.status() == 200) {
            JsonNode j = r.json();
            assertThat(c.sink.events).hasSize(j.get("accepted").asInt());
            assertThat(c.sink.bad).hasSize(j.get("rejected").asInt()).extracting(BadEvent::reason).doesNotContainNull();
        }
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void siteCreationNeverFails(@ForAll("sites") byte[] body) {
        Response r = c.admin.post("/api/sites", body, "Content-Type", "application/json");

        assertAnswered(r, 201);
    }

    /** The expected success, or a 4xx JSON error with a code and a message; never a 5xx. */
    static void assertAnswered(Response r, int success) {
        assertThat(r.status()).as("status of %s", r.body()).isLessThan(500);
        if (r.status() != success) {
            assertThat(r.status()).as("a rejection is a 4xx: %s", r.body()).isBetween(400, 499);
            JsonNode error = r.json();
            assertThat(error.path("error").asText()).as("error code in %s", r.body()).isNotBlank();
            assertThat(error.path("message").asText()).as("reason in %s", r.body()).isNotBlank();
        }
    }
}
