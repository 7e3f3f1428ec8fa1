package io.vantage.api;

import static io.vantage.testing.TestEvents.at;
import static io.vantage.testing.TestEvents.pageview;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vantage.model.Event;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * metrics.md: distinct counts are exact up to 16,384 visitors and within 2% beyond, with
 * {@code meta.estimated} naming any estimate. Vantage counts visitor sets exactly at any size, so
 * past the limit the numbers are still exact and the response claims no estimate.
 */
class ExactnessTest {
    private static final int VISITORS = 20_000;

    @Test
    void visitorsBeyondTheExactLimitAreStillCountedExactlyAndNothingIsMarkedEstimated() {
        try (MetricsHarness h = new MetricsHarness(Instant.parse("2024-01-10T12:00:00Z")).site("big", "UTC")) {
            long day = at("2024-01-02T00:00:00Z");
            Event.Builder[] events = new Event.Builder[VISITORS + VISITORS / 4];
            for (int i = 0; i < VISITORS; i++) {
                // one page view each, spread over the day, on /a or /b; every fourth visitor also sees /c
                events[i] = pageview("v" + i, day + i * 4_000L, i % 2 == 0 ? "/a" : "/b").site("big");
            }
            for (int i = 0; i < VISITORS / 4; i++) {
                events[VISITORS + i] = pageview("v" + (4 * i), day + 4 * i * 4_000L + 60_000L, "/c").site("big");
            }
            h.send(events);
            String range = "{\"site_id\":\"big\",\"date_range\":[\"2024-01-02\",\"2024-01-02\"],";
            JsonNode totals = h.query(range + "\"metrics\":[\"visitors\",\"visits\",\"pageviews\"]}");
            assertThat(totals.get("results").get(0).get("metrics").get(0).asInt()).isEqualTo(VISITORS);
            assertThat(totals.get("results").get(0).get("metrics").get(1).asInt()).isEqualTo(VISITORS);
            assertThat(totals.get("results").get(0).get("metrics").get(2).asInt()).isEqualTo(VISITORS + VISITORS / 4);
            assertThat(totals.get("meta").has("estimated")).isFalse();
            assertThat(h.breakdown(range + "\"metrics\":[\"visitors\",\"pageviews\"],\"dimensions\":[\"event:page\"]}"))
                    .containsOnly(Map.entry("/a", List.of(10_000.0, 10_000.0)), Map.entry("/b", List.of(10_000.0, 10_000.0)),
                            Map.entry("/c", List.of(5_000.0, 5_000.0)));
            // a segment over the large set: visitors who saw /c (all from /a's half) and their other pages
            assertThat(h.breakdown(range + "\"metrics\":[\"visitors\"],\"dimensions\":[\"event:page\"],"
                    + "\"filters\":[[\"is\",\"visit:entry_page\",[\"/a\"]]]}"))
                    .containsOnly(Map.entry("/a", List.of(10_000.0)), Map.entry("/c", List.of(5_000.0)));
            JsonNode byHour = h.query(range + "\"metrics\":[\"visitors\"],\"dimensions\":[\"time:hour\"]}");
            long sum = 0;
            for (JsonNode row : byHour.get("results")) {
                sum += row.get("metrics").get(0).asLong();
            }
            // each visitor counts in the hour of each of their events: twice for those whose /c view falls in the next hour
            long crossing = 0;
            for (int i = 0; i < VISITORS; i += 4) {
                crossing += (i * 4_000L) / 3_600_000L != (i * 4_000L + 60_000L) / 3_600_000L ? 1 : 0;
            }
            assertThat(crossing).isPositive();
            assertThat(sum).isEqualTo(VISITORS + crossing);
            assertThat(byHour.get("meta").has("estimated")).isFalse();
        }
    }
}
