package io.vantage.api;

import static io.vantage.testing.TestEvents.at;
import static io.vantage.testing.TestEvents.pageview;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hours and minutes on the nights clocks change, in a site in Europe/Berlin: when clocks go back
 * (2024-10-27, 03:00 CEST becomes 02:00 CET) the local hour 02:00 happens twice and is two rows
 * with their own offsets; when they go forward (2024-03-31, 02:00 CET becomes 03:00 CEST) the
 * day has 23 hours.
 */
class TimeLabelsTest {
    private MetricsHarness h;

    @BeforeEach
    void site() {
        h = new MetricsHarness(Instant.parse("2024-11-10T12:00:00Z")).site("berlin", "Europe/Berlin");
    }

    @AfterEach
    void close() {
        h.close();
    }

    private JsonNode day(String date, String dimension) {
        return h.query("{\"site_id\":\"berlin\",\"date_range\":[\"" + date + "\",\"" + date + "\"],\"metrics\":[\"pageviews\"],"
                + "\"dimensions\":[\"" + dimension + "\"],\"include\":{\"time_labels\":true}}");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void theHourThatHappensTwiceIsTwoRowsInTheOrderTheyHappened() {
        // 00:30Z is 02:30 CEST, 01:30Z is 02:30 CET, 01:59Z is 02:59 CET, 02:10Z is 03:10 CET
        h.send(pageview("X", at("2024-10-27T00:30:00Z"), "/a").site("berlin"), pageview("Y", at("2024-10-27T01:30:00Z"), "/b").site("berlin"),
                pageview("Y2", at("2024-10-27T01:59:00Z"), "/b").site("berlin"), pageview("Z", at("2024-10-27T02:10:00Z"), "/c").site("berlin"));
        JsonNode r = day("2024-10-27", "time:hour");
        List<String> rows = new ArrayList<>();
        r.get("results").forEach(row -> rows.add(row.get("dimensions").get(0).asText() + "=" + row.get("metrics").get(0).asInt()));
        assertThat(rows).containsExactly("2024-10-27T02:00:00+02:00=1", "2024-10-27T02:00:00+01:00=2", "2024-10-27T03:00:00+01:00=1");
        List<String> labels = texts(r.get("meta").get("time_labels"));
        assertThat(labels).hasSize(25).startsWith("2024-10-27T00:00:00+02:00").endsWith("2024-10-27T23:00:00+01:00")
                .containsSubsequence("2024-10-27T01:00:00+02:00", "2024-10-27T02:00:00+02:00", "2024-10-27T02:00:00+01:00",
                        "2024-10-27T03:00:00+01:00");
        assertThat(labels).doesNotHaveDuplicates();
    }

    @Test
    void minutesOfTheRepeatedHourSortByTime() {
        // 02:59 CEST happens before 02:00 CET
        h.send(pageview("X", at("2024-10-27T00:59:00Z"), "/a").site("berlin"), pageview("Y", at("2024-10-27T01:00:00Z"), "/b").site("berlin"));
        JsonNode r = h.query("{\"site_id\":\"berlin\",\"date_range\":[\"2024-10-27T00:58:00Z\",\"2024-10-27T01:02:00Z\"],"
                + "\"metrics\":[\"pageviews\"],\"dimensions\":[\"time:minute\"],\"include\":{\"time_labels\":true}}");
        List<String> rows = new ArrayList<>();
        r.get("results").forEach(row -> rows.add(row.get("dimensions").get(0).asText()));
        assertThat(rows).containsExactly("2024-10-27T02:59:00+02:00", "2024-10-27T02:00:00+01:00");
        assertThat(texts(r.get("meta").get("time_labels"))).containsExactly("2024-10-27T02:58:00+02:00", "2024-10-27T02:59:00+02:00",
                "2024-10-27T02:00:00+01:00", "2024-10-27T02:01:00+01:00");
    }

    @Test
    void theDayClocksGoForwardHasTwentyThreeHours() {
        // 01:30Z is 03:30 CEST: the first hour after the skipped one
        h.send(pageview("X", at("2024-03-31T00:30:00Z"), "/a").site("berlin"), pageview("Y", at("2024-03-31T01:30:00Z"), "/b").site("berlin"));
        JsonNode r = day("2024-03-31", "time:hour");
        assertThat(h.breakdown("{\"site_id\":\"berlin\",\"date_range\":[\"2024-03-31\",\"2024-03-31\"],\"metrics\":[\"pageviews\"],"
                + "\"dimensions\":[\"time:hour\"]}"))
                .containsOnly(Map.entry("2024-03-31T01:00:00+01:00", List.of(1.0)), Map.entry("2024-03-31T03:00:00+02:00", List.of(1.0)));
        List<String> labels = texts(r.get("meta").get("time_labels"));
        assertThat(labels).hasSize(23).contains("2024-03-31T01:00:00+01:00", "2024-03-31T03:00:00+02:00")
                .noneMatch(l -> l.startsWith("2024-03-31T02:"));
    }

    @Test
    void hoursOfTheDayAreNumbersInTheLabelsAsInTheRows() {
        h.send(pageview("X", at("2024-10-27T00:30:00Z"), "/a").site("berlin"), pageview("Y", at("2024-10-27T01:30:00Z"), "/b").site("berlin"));
        JsonNode r = day("2024-10-27", "time:hour_of_day");
        // both 02:30s are hour 2 of the day
        assertThat(r.get("results").get(0).get("dimensions").get(0).isInt()).isTrue();
        assertThat(r.get("results").get(0).get("dimensions").get(0).asInt()).isEqualTo(2);
        assertThat(r.get("results").get(0).get("metrics").get(0).asInt()).isEqualTo(2);
        JsonNode labels = r.get("meta").get("time_labels");
        assertThat(labels).hasSize(24);
        assertThat(labels.get(0).isInt()).isTrue();
        assertThat(labels.get(23).asInt()).isEqualTo(23);
    }

    @Test
    void theQueryEchoGivesItsRangeInUtc() {
        // api.md: responses are in UTC, time labels aside; the site's day 2024-10-27 is 25 hours long
        JsonNode r = day("2024-10-27", "time:day");
        assertThat(texts(r.get("query").get("date_range"))).containsExactly("2024-10-26T22:00:00Z", "2024-10-27T22:59:59Z");
    }

    @Test
    void allOfAYoungSiteTakesHoursAndAnOlderOneIsToldToUseDays() {
        h.send(pageview("X", at("2024-10-27T00:30:00Z"), "/a").site("berlin"));
        String all = "{\"site_id\":\"berlin\",\"date_range\":\"all\",\"metrics\":[\"pageviews\"],\"dimensions\":[\"time:hour\"]}";
        assertThat(h.breakdown(all)).containsOnly(Map.entry("2024-10-27T02:00:00+02:00", List.of(1.0)));
        // a first visit more than a year before now: "all" is longer than hours are kept for
        h.send(pageview("Y", at("2023-06-01T12:00:00Z"), "/old").site("berlin").ingest(io.vantage.model.Event.Ingest.IMPORT));
        assertThatThrownBy(() -> h.query(all)).isInstanceOfSatisfying(io.vantage.http.ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.field()).isEqualTo("dimensions");
            assertThat(e.getMessage()).contains("time:day");
        });
    }

    @Test
    void aWeekOfMinutesIsAnsweredOnTheWeekClocksGoBackAndPartialBucketsHaveLabels() {
        h.send(pageview("X", at("2024-10-27T00:30:00Z"), "/a").site("berlin"));
        // 2024-10-21 to 2024-10-27 in Berlin is 7 days and one hour
        JsonNode week = h.query("{\"site_id\":\"berlin\",\"date_range\":[\"2024-10-21\",\"2024-10-27\"],\"metrics\":[\"pageviews\"],"
                + "\"dimensions\":[\"time:minute\"],\"include\":{\"time_labels\":true}}");
        assertThat(week.get("meta").get("time_labels")).hasSize(7 * 1440 + 60);
        // a range that starts and ends inside hours lists each hour it touches
        JsonNode part = h.query("{\"site_id\":\"berlin\",\"date_range\":[\"2024-10-27T10:30:00Z\",\"2024-10-27T12:15:00Z\"],"
                + "\"metrics\":[\"pageviews\"],\"dimensions\":[\"time:hour\"],\"include\":{\"time_labels\":true}}");
        assertThat(texts(part.get("meta").get("time_labels"))).containsExactly("2024-10-27T11:00:00+01:00", "2024-10-27T12:00:00+01:00",
                "2024-10-27T13:00:00+01:00");
    }

    @Test
    void aClockThatChangesInsideAUtcHourPutsEachSideInItsOwnLocalHour() {
        // Adelaide goes forward at 02:00 ACST (+09:30), 2024-10-05T16:30Z: 16:20Z is 01:50+09:30, 16:40Z is 03:10+10:30
        Buckets hours = new Buckets(java.time.ZoneId.of("Australia/Adelaide"), TimeGrouping.HOUR_OF_DAY);
        assertThat(hours.label(at("2024-10-05T16:40:00Z"))).isEqualTo("3");
        assertThat(hours.label(at("2024-10-05T16:20:00Z"))).isEqualTo("1");
        Buckets labels = new Buckets(java.time.ZoneId.of("Australia/Adelaide"), TimeGrouping.HOUR);
        assertThat(labels.label(at("2024-10-05T16:20:00Z"))).isEqualTo("2024-10-06T01:00:00+09:30");
        assertThat(labels.label(at("2024-10-05T16:40:00Z"))).isEqualTo("2024-10-06T03:00:00+10:30");
    }
}
