package io.vantage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.vantage.http.ApiException;
import io.vantage.model.EventType;
import io.vantage.model.Json;
import io.vantage.model.Site;
import io.vantage.testing.HostileInputs;
import io.vantage.testing.TestEvents;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of {@code POST /api/v2/query}'s handling (body parsing, validation,
 * planning and the scan, over the production topology's stores with data in them): any hostile
 * body is answered or refused with a 4xx that names a reason; nothing else escapes (which the
 * HTTP layer would turn into a 500).
 */
class QueryFuzzTest {
    static final int TRIES = 30_000;
    private static final Instant NOW = Instant.parse("2024-03-01T12:00:00Z");
    private static MetricsHarness h;
    private static final List<String> DIMENSIONS = List.of("event:page", "visit:source", "visit:country", "visit:browser",
            "visit:entry_page", "visit:exit_page", "event:goal", "event:name", "event:props:plan", "visit:utm_source",
            "time", "time:minute", "time:hour", "time:day", "time:week", "time:month", "visitor:gender", "visit:device");
    private static final List<String> OPERATORS = List.of("is", "is_not", "contains", "contains_not", "matches", "matches_not",
            "and", "or", "not", "has_done", "has_not_done", "<", "==");

    @BeforeContainer
    static void start() {
        h = new MetricsHarness(NOW).site("example", "Europe/Berlin", "signup");
        long t = NOW.toEpochMilli() - 3_600_000L;
        h.send(TestEvents.event(EventType.PAGEVIEW, "v1", t).url("https://example.com/pricing?utm_source=news")
                        .referrer("https://www.google.com/"),
                TestEvents.event(EventType.CUSTOM, "v1", t + 60_000).name("signup").props(Map.of("plan", "pro")),
                TestEvents.event(EventType.IDENTIFY, "v1", t + 70_000).traits(Map.of("gender", "f")),
                TestEvents.event(EventType.PAGEVIEW, "v2", t + 90_000).url("https://example.com/"));
    }

    @AfterContainer
    static void stop() {
        h.close();
    }

    static Map<String, Object> query() {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("site_id", "example");
        q.put("metrics", List.of("visitors", "pageviews", "bounce_rate", "conversion_rate"));
        q.put("date_range", "7d");
        q.put("dimensions", List.of("event:page", "time:day"));
        q.put("filters", List.of(List.of("is", "visit:source", List.of("Google"))));
        q.put("order_by", List.of(List.of("visitors", "desc")));
        q.put("pagination", Map.of("limit", 10, "offset", 0));
        q.put("include", Map.of("time_labels", true));
        return q;
    }

    /** Queries whose filters, dimensions and ranges are built from the contract's own words, mixed with hostile ones. */
    @Provide
    Arbitrary<byte[]> structured() {
        Arbitrary<Object> word = Arbitraries.oneOf(Arbitraries.of(DIMENSIONS), Arbitraries.of(OPERATORS), Arbitraries.of(HostileInputs.NASTY));
        Arbitrary<Object> filter = Combinators.combine(Arbitraries.of(OPERATORS), Arbitraries.of(DIMENSIONS),
                        word.list().ofMaxSize(3))
                .as((op, dim, values) -> (Object) List.of(op, dim, values));
        Arbitrary<Object> nested = Combinators.combine(Arbitraries.of("and", "or", "not"), filter.list().ofMaxSize(3))
                .as((op, list) -> (Object) (op.equals("not") && !list.isEmpty() ? List.of(op, list.get(0)) : List.of(op, list)));
        Arbitrary<Object> range = Arbitraries.oneOf(Arbitraries.of("day", "7d", "30d", "month", "year", "all", "realtime", "6mo", "12mo"),
                Arbitraries.of(HostileInputs.NASTY).list().ofSize(2).map(l -> (Object) l),
                Arbitraries.longs().list().ofSize(2).map(l -> (Object) l),
                Arbitraries.of(List.of("2024-01-01", "2024-03-01"), List.of("1995-08-01", "1995-08-01"),
                        List.of("2024-03-01T10:00:00Z", "2024-03-01T09:00:00Z"), List.of("0001-01-01", "9999-12-31")));
        return Combinators.combine(Arbitraries.oneOf(filter, nested).list().ofMaxSize(3), Arbitraries.of(DIMENSIONS).list().ofMaxSize(3),
                        range, Arbitraries.of("visitors", "visits", "pageviews", "views_per_visit", "bounce_rate", "visit_duration",
                                "events", "conversion_rate", "realtime_visitors", "scroll_depth", "nonsense").list().ofMinSize(1).ofMaxSize(4),
                        Arbitraries.integers().between(-2, 20_000))
                .as((filters, dims, dateRange, metrics, limit) -> {
                    Map<String, Object> q = new LinkedHashMap<>();
                    q.put("site_id", "example");
                    q.put("metrics", metrics);
                    q.put("date_range", dateRange);
                    q.put("dimensions", dims);
                    q.put("filters", filters);
                    q.put("pagination", Map.of("limit", limit));
                    return Json.MAPPER.valueToTree(q).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                });
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        return HostileInputs.bodies(query());
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void aStructuredQueryIsAnsweredOrRefusedWithAReason(@ForAll("structured") byte[] body) {
        run(body);
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void aMutatedQueryIsAnsweredOrRefusedWithAReason(@ForAll("mutated") byte[] body) {
        run(body);
    }

    /** What {@code ApiRoutes.query} does with a body, minus the HTTP: an answer, or an ApiException with a 4xx and a message. */
    private static void run(byte[] body) {
        try {
            QueryRequest request = QueryRequest.of(Json.MAPPER.readTree(body));
            if (request == null || request.siteId() == null) {
                return; // 400 site_id is required
            }
            Site site = h.site(request.siteId());
            if (site == null) {
                return; // 400 unknown site
            }
            JsonNode answer = Json.MAPPER.valueToTree(h.run(request, site));
            assertThat(answer.get("results").isArray()).isTrue();
        } catch (IOException e) {
            // 400 invalid_json: the body is not JSON
        } catch (ApiException e) {
            assertThat(e.status()).as(e.getMessage()).isBetween(400, 499);
            assertThat(e.getMessage()).isNotBlank();
        } catch (RuntimeException e) {
            fail("a 500 for " + new String(body, java.nio.charset.StandardCharsets.UTF_8), e);
        }
    }
}
