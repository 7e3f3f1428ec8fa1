package io.vantage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vantage.http.ApiException;
import io.vantage.model.Json;
import io.vantage.model.Site;
import io.vantage.processor.rollup.Granularity;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryParserTest {
    private static final Site BERLIN = new Site("example", "example.com", "Europe/Berlin", List.of(), "rk", 30, List.of());
    // 2024-03-13 23:30 UTC is already Thursday 00:30 in Berlin
    private final QueryParser parser = new QueryParser(Clock.fixed(Instant.parse("2024-03-13T23:30:00Z"), ZoneOffset.UTC));

    private Query parse(String json) throws IOException {
        return parser.parse(Json.MAPPER.readValue(json, QueryRequest.class), BERLIN);
    }

    private static ApiException error(ThrowingCall call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no ApiException");
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void resolvesNamedRangesInTheSiteTimeZone() throws IOException {
        Query day = parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"day\"}");
        assertThat(day.from()).isEqualTo(LocalDateTime.parse("2024-03-14T00:00"));
        assertThat(day.to()).isEqualTo(LocalDateTime.parse("2024-03-15T00:00"));
        Query week = parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"7d\"}");
        assertThat(week.from()).isEqualTo(LocalDateTime.parse("2024-03-08T00:00"));
        assertThat(week.granularity()).isEqualTo(Granularity.DAY);
        Query month = parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"month\"}");
        assertThat(month.from()).isEqualTo(LocalDateTime.parse("2024-03-01T00:00"));
        Query realtime = parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"realtime\"}");
        assertThat(realtime.granularity()).isEqualTo(Granularity.MINUTE);
        assertThat(realtime.to()).isEqualTo(LocalDateTime.parse("2024-03-14T00:31"));
    }

    @Test
    void choosesTheCoarsestRollupThatFits() throws IOException {
        assertThat(parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":[\"2024-01-01\",\"2024-01-31\"]}").granularity())
                .isEqualTo(Granularity.DAY);
        assertThat(parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":[\"2024-01-01\",\"2024-01-01\"],"
                + "\"dimensions\":[\"time:hour\"]}").granularity()).isEqualTo(Granularity.HOUR);
        assertThat(parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],"
                + "\"date_range\":[\"2024-01-01T10:15:00+01:00\",\"2024-01-01T10:44:00+01:00\"]}").granularity()).isEqualTo(Granularity.MINUTE);
    }

    @Test
    void namesWhatIsUnknownOrMalformed() {
        ApiException metric = error(() -> parse("{\"site_id\":\"example\",\"metrics\":[\"visitorz\"],\"date_range\":\"day\"}"));
        assertThat(metric.status()).isEqualTo(400);
        assertThat(metric.field()).isEqualTo("metrics");
        assertThat(metric.getMessage()).contains("visitorz");

        ApiException dim = error(() -> parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"day\",\"dimensions\":[\"visit:planet\"]}"));
        assertThat(dim.field()).isEqualTo("dimensions");
        assertThat(dim.getMessage()).contains("visit:planet");

        assertThat(error(() -> parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"yesterday-ish\"}")).field())
                .isEqualTo("date_range");
        assertThat(error(() -> parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":[\"2024-02-01\",\"2024-01-01\"]}"))
                .field()).isEqualTo("date_range");
        assertThat(error(() -> parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"day\","
                + "\"filters\":[[\"like\",\"event:page\",[\"/\"]]]}")).field()).isEqualTo("filters");
        assertThat(error(() -> parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"day\","
                + "\"pagination\":{\"limit\":0}}")).field()).isEqualTo("pagination.limit");
    }

    @Test
    void refusesMetricsThatAreNotDefinedForTheBreakdown() {
        ApiException e = error(() -> parse("{\"site_id\":\"example\",\"metrics\":[\"bounce_rate\"],\"date_range\":\"day\",\"dimensions\":[\"event:page\"]}"));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).contains("bounce_rate").contains("visit:");
        assertThatThrownBy(() -> parse("{\"site_id\":\"example\",\"metrics\":[\"new_visitors\"],\"date_range\":\"day\",\"dimensions\":[\"visit:source\"]}"))
                .isInstanceOf(ApiException.class);
    }
}
