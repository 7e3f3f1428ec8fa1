package io.vantage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vantage.http.ApiException;
import io.vantage.model.Json;
import io.vantage.model.Site;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryParserTest {
    private static final Site BERLIN = new Site("example", "example.com", "Europe/Berlin", List.of(), "rk", 30, List.of());
    // 2024-03-13 23:30 UTC is already Thursday 00:30 in Berlin
    private final QueryParser parser = new QueryParser(Clock.fixed(Instant.parse("2024-03-13T23:30:00Z"), ZoneOffset.UTC));

    private Query parse(String json) throws IOException {
        return parser.parse(QueryRequest.of(Json.MAPPER.readTree(json)), BERLIN);
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

    private static long ms(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void resolvesNamedRangesInTheSiteTimeZone() throws IOException {
        // Thursday 2024-03-14 in Berlin (UTC+1) runs from 23:00 UTC the day before
        Query day = parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"day\"}");
        assertThat(day.fromMs()).isEqualTo(ms("2024-03-13T23:00:00Z"));
        assertThat(day.toMs()).isEqualTo(ms("2024-03-14T23:00:00Z"));
        assertThat(parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"7d\"}").fromMs()).isEqualTo(ms("2024-03-07T23:00:00Z"));
        assertThat(parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"28d\"}").fromMs()).isEqualTo(ms("2024-02-15T23:00:00Z"));
        assertThat(parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"month\"}").fromMs()).isEqualTo(ms("2024-02-29T23:00:00Z"));
        assertThat(parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"6mo\"}").fromMs()).isEqualTo(ms("2023-09-30T22:00:00Z"));
        assertThat(parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"year\"}").fromMs()).isEqualTo(ms("2023-12-31T23:00:00Z"));
        assertThat(parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"all\"}").fromMs()).isEqualTo(QueryParser.ALL);
        Query realtime = parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"realtime\"}");
        assertThat(realtime.toMs()).isEqualTo(ms("2024-03-13T23:31:00Z"));
        assertThat(realtime.toMs() - realtime.fromMs()).isEqualTo(30 * 60_000L);
    }

    @Test
    void dateTimesAndEpochMillisecondsAreHalfOpen() throws IOException {
        Query times = parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],"
                + "\"date_range\":[\"2024-01-01T10:15:00+01:00\",\"2024-01-01T10:45:00+01:00\"]}");
        assertThat(times.fromMs()).isEqualTo(ms("2024-01-01T09:15:00Z"));
        assertThat(times.toMs()).isEqualTo(ms("2024-01-01T09:45:00Z"));
        Query epoch = parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":[1704100500000,1704102300000]}");
        assertThat(epoch.fromMs()).isEqualTo(1704100500000L);
        assertThat(epoch.toMs()).isEqualTo(1704102300000L);
    }

    @Test
    void anExactTimeFilterTakesOnlyLabelsOfItsBuckets() throws IOException {
        String head = "{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"7d\",\"filters\":[[";
        // Labels as the time dimensions give them are taken, a number for an hour of day too
        for (String ok : new String[] {"\"is\",\"time:hour_of_day\",[\"23\",0]", "\"is_not\",\"time:day\",[\"2024-03-14\"]",
            "\"is\",\"time:week\",[\"2024-03-11\"]", "\"is\",\"time:month\",[\"2024-03-01\"]",
            "\"is\",\"time:hour\",[\"2024-03-14T10:00:00+01:00\"]", "\"contains\",\"time:day\",[\"-03-\"]"}) {
            assertThat(parse(head + ok + "]]}").filters()).as(ok).hasSize(1);
        }
        // A value no bucket is labelled with is a 400 naming the filters, not a quiet zero
        for (String bad : new String[] {"\"is\",\"time:hour_of_day\",[\"25\"]", "\"is\",\"time:day\",[\"notadate\"]",
            "\"is\",\"time:week\",[\"2024-03-14\"]", "\"is_not\",\"time:month\",[\"2024-03\"]", "\"is\",\"time:hour\",[\"10:00\"]",
            // an hour of another offset than the site's (Berlin, +01:00 in March), without seconds, or not on the hour
            "\"is\",\"time:hour\",[\"2024-03-14T09:00:00Z\"]", "\"is\",\"time:hour\",[\"2024-03-14T10:00+01:00\"]",
            "\"is\",\"time:hour\",[\"2024-03-14T10:30:00+01:00\"]", "\"is\",\"time:minute\",[\"2024-03-14T10:30:15+01:00\"]",
            // a time beyond what epoch milliseconds hold (found by QueryFuzzTest: it was a 500)
            "\"is\",\"time:hour\",[\"-999999999-01-01T00:00:00Z\"]"}) {
            ApiException e = error(() -> parse(head + bad + "]]}"));
            assertThat(e.field()).as(bad).isEqualTo("filters");
            assertThat(e.getMessage()).as(bad).contains("is compared with its labels");
        }
    }

    @Test
    void boundsTheCostOfAQuery() throws IOException {
        assertThat(error(() -> parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"30d\",\"dimensions\":[\"time:minute\"]}"))
                .field()).isEqualTo("dimensions");
        assertThat(error(() -> parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":[\"2022-01-01\",\"2023-12-31\"],\"dimensions\":[\"time:hour\"]}"))
                .getMessage()).contains("time:day");
        // Every named range up to a year takes hours, and a week takes minutes.
        for (String range : new String[] {"\"7d\"", "\"91d\"", "\"6mo\"", "\"12mo\"", "\"year\"", "[\"2023-01-01\",\"2023-12-31\"]"}) {
            assertThat(parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":" + range + ",\"dimensions\":[\"time:hour\"]}").time())
                    .as(range).isEqualTo(TimeGrouping.HOUR);
        }
        assertThat(parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"7d\",\"dimensions\":[\"time:minute\"]}").time())
                .isEqualTo(TimeGrouping.MINUTE);
        // "all" is bounded once the site's first visit is known (QueryService), not refused here
        assertThat(parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"all\",\"dimensions\":[\"time:hour\"]}").time())
                .isEqualTo(TimeGrouping.HOUR);
        assertThat(error(() -> parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":[\"-999999999-01-01T00:00:00Z\",\"2024-01-01T00:00:00Z\"]}"))
                .field()).as("a time that overflows epoch milliseconds").isEqualTo("date_range");
        assertThat(error(() -> parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"day\",\"dimensions\":[null]}"))
                .field()).isEqualTo("dimensions");
    }

    @Test
    void unknownFieldsAreRefusedByName() {
        ApiException e = error(() -> parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"day\",\"filter\":[]}"));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo("filter");
        assertThat(error(() -> parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"day\",\"include\":{\"labels\":true}}"))
                .field()).isEqualTo("include.labels");
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
    void refusesWhatTheContractDoesNotDefine() {
        assertThat(error(() -> parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"day\","
                + "\"dimensions\":[\"visit:source\",\"visit:country\",\"event:page\"]}")).field()).isEqualTo("dimensions");
        assertThat(error(() -> parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"day\","
                + "\"filters\":[[\"matches\",\"event:page\",[\"(\"]]]}")).getMessage()).contains("regular expression");
        assertThat(error(() -> parse("{\"site_id\":\"example\",\"metrics\":[\"realtime_visitors\"],\"date_range\":\"day\","
                + "\"dimensions\":[\"visit:source\"]}")).field()).isEqualTo("metrics");
        assertThatThrownBy(() -> parse("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"day\","
                + "\"filters\":[[\"is\",\"visit:planet\",[\"x\"]]]}")).isInstanceOf(ApiException.class).hasMessageContaining("visit:planet");
    }
}
