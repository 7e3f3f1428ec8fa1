package io.vantage.api;

import static io.vantage.testing.TestEvents.at;
import static io.vantage.testing.TestEvents.pageview;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every metric of metrics.md over a hand-computed scenario, through the production topology and
 * query service. The scenario (site in UTC, goal "signup"):
 *
 * <pre>
 * A  Mon 10:00 pageview /  (from Google, utm news/email/jan)   session A1 10:00-10:50
 *        10:10 pageview /pricing (sent twice: one event_id)      5 events, 3 pageviews,
 *        10:12 click                                             converted at 10:20 (ttc 1200 s)
 *        10:20 custom "signup" (goal)
 *        10:50 pageview /blog   (exactly 30 min later: same session)
 *        11:20:00.001 pageview /docs (30 min + 1 ms: session A2, a bounce)
 *        identify gender=f
 * B  Mon 23:50 pageview / (from Hacker News)                   session B1 across midnight,
 *    Tue 00:10 pageview /about                                  counted on Monday, 1200 s
 *        identify gender=m, later gender=f
 * C  Tue 09:00 pageview /, 10:00 pageview /x, then late 09:30 /late: two sessions merged into one (3600 s)
 * E  Tue 12:00 form_submit only: a converted session without pageviews, not a bounce
 * D  Mon 12:00 Googlebot: never counted
 * </pre>
 */
class MetricsTest {
    private static final String ALL = "[\"events\",\"pageviews\",\"visitors\",\"new_visitors\",\"returning_visitors\",\"visits\","
            + "\"repeat_visitor_rate\",\"events_per_visit\",\"views_per_visit\",\"visit_duration\",\"bounce_rate\","
            + "\"conversions\",\"conversion_rate\",\"time_to_conversion\"]";
    private MetricsHarness h;

    @BeforeEach
    void scenario() {
        h = Scenario.harness();
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void mondayByHand() {
        Map<String, Double> m = h.totals("example", "[\"2024-01-01\",\"2024-01-01\"]", names());

        assertThat(m).containsEntry("events", 7.0).containsEntry("pageviews", 5.0).containsEntry("visitors", 2.0)
                .containsEntry("new_visitors", 2.0).containsEntry("returning_visitors", 0.0).containsEntry("visits", 3.0)
                .containsEntry("repeat_visitor_rate", 50.0).containsEntry("views_per_visit", 2.0)
                .containsEntry("visit_duration", 1400.0).containsEntry("conversions", 1.0)
                .containsEntry("time_to_conversion", 1200.0);
        assertThat(m.get("events_per_visit")).isCloseTo(8.0 / 3, within(1e-9));
        assertThat(m.get("bounce_rate")).isCloseTo(100.0 / 3, within(1e-9));
        assertThat(m.get("conversion_rate")).isCloseTo(100.0 / 3, within(1e-9));
    }

    @Test
    void tuesdayByHandWithSessionsMergedByALateEvent() {
        Map<String, Double> m = h.totals("example", "[\"2024-01-02\",\"2024-01-02\"]", names());

        assertThat(m).containsEntry("events", 5.0).containsEntry("pageviews", 4.0).containsEntry("visitors", 3.0)
                .containsEntry("new_visitors", 2.0).containsEntry("returning_visitors", 1.0)
                .containsEntry("visits", 2.0).containsEntry("repeat_visitor_rate", 0.0)
                .containsEntry("events_per_visit", 2.0).containsEntry("views_per_visit", 1.5)
                .containsEntry("visit_duration", 1800.0).containsEntry("bounce_rate", 0.0)
                .containsEntry("conversions", 1.0).containsEntry("conversion_rate", 50.0)
                .containsEntry("time_to_conversion", 0.0);
    }

    @Test
    void theWeekMergesItsDays() {
        Map<String, Double> week = h.totals("example", "[\"2024-01-01\",\"2024-01-07\"]", names());
        Map<String, Double> mon = h.totals("example", "[\"2024-01-01\",\"2024-01-01\"]", names());
        Map<String, Double> tue = h.totals("example", "[\"2024-01-02\",\"2024-01-02\"]", names());

        for (String additive : List.of("events", "pageviews", "visits", "conversions")) {
            assertThat(week.get(additive)).as(additive).isEqualTo(mon.get(additive) + tue.get(additive));
        }
        // B visits on both days: distinct visitors of the week are fewer than the sum of the days
        assertThat(week).containsEntry("visitors", 4.0).containsEntry("new_visitors", 4.0)
                .containsEntry("repeat_visitor_rate", 25.0).containsEntry("events_per_visit", 2.4)
                .containsEntry("views_per_visit", 1.8).containsEntry("visit_duration", 1560.0)
                .containsEntry("bounce_rate", 20.0).containsEntry("conversion_rate", 40.0)
                .containsEntry("time_to_conversion", 600.0);
        assertThat(h.breakdown("{\"site_id\":\"example\",\"metrics\":[\"visitors\",\"visits\"],\"date_range\":[\"2024-01-01\",\"2024-01-07\"],"
                + "\"dimensions\":[\"time:day\"]}"))
                .containsExactly(Map.entry("2024-01-01", List.of(2.0, 3.0)), Map.entry("2024-01-02", List.of(3.0, 2.0)));
        assertThat(h.breakdown("{\"site_id\":\"example\",\"metrics\":[\"visitors\",\"visits\"],\"date_range\":[\"2024-01-01\",\"2024-01-07\"],"
                + "\"dimensions\":[\"time:week\"]}"))
                .containsExactly(Map.entry("2024-01-01", List.of(4.0, 5.0)));
    }

    @Test
    void aRangeOfPartialAndWholeWeeksEqualsTheSameDaysReadOneByOne() {
        // Sunday 2023-12-31 .. Tuesday 2024-01-09: a day, a whole ISO week (read as week rows), two days
        String range = "[\"2023-12-31\",\"2024-01-09\"]";
        Map<String, Double> mixed = h.totals("example", range, names());
        assertThat(mixed).isEqualTo(h.totals("example", "[\"2024-01-01\",\"2024-01-07\"]", names()));
        Map<String, List<Double>> pagesByDay = h.breakdown("{\"site_id\":\"example\",\"metrics\":[\"pageviews\",\"visitors\"],"
                + "\"date_range\":" + range + ",\"dimensions\":[\"event:page\"]}");
        assertThat(pagesByDay).containsEntry("/", List.of(3.0, 4.0)).containsEntry("/pricing", List.of(1.0, 1.0)).hasSize(7);
        assertThat(h.query("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":" + range
                + ",\"dimensions\":[\"time:week\"]}").get("results").toString())
                .isEqualTo("[{\"dimensions\":[\"2024-01-01\"],\"metrics\":[4]}]");
    }

    @Test
    void aVisitorWithOneVisitOnEachOfTwoDaysRepeatsInTheWeekButNotOnEitherDay() {
        h.site("repeat", "UTC");
        h.send(pageview("F", at("2024-01-01T15:00:00Z"), "/").site("repeat"), pageview("F", at("2024-01-02T15:00:00Z"), "/").site("repeat"));

        assertThat(h.totals("repeat", "[\"2024-01-01\",\"2024-01-01\"]", "repeat_visitor_rate")).containsEntry("repeat_visitor_rate", 0.0);
        assertThat(h.totals("repeat", "[\"2024-01-02\",\"2024-01-02\"]", "repeat_visitor_rate")).containsEntry("repeat_visitor_rate", 0.0);
        assertThat(h.totals("repeat", "[\"2024-01-01\",\"2024-01-07\"]", "repeat_visitor_rate", "visitors", "visits"))
                .containsEntry("repeat_visitor_rate", 100.0).containsEntry("visitors", 1.0).containsEntry("visits", 2.0);
    }

    @Test
    void pagesAndEventBreakdowns() {
        String week = "\"date_range\":[\"2024-01-01\",\"2024-01-07\"]";
        assertThat(h.breakdown("{\"site_id\":\"example\",\"metrics\":[\"pageviews\",\"visitors\"]," + week
                + ",\"dimensions\":[\"event:page\"],\"order_by\":[[\"pageviews\",\"desc\"]],\"pagination\":{\"limit\":2}}"))
                // E's form submit happened on "/" too: a visitor of the page without a pageview
                .containsExactly(Map.entry("/", List.of(3.0, 4.0)), Map.entry("/about", List.of(1.0, 1.0)));
        assertThat(h.breakdown("{\"site_id\":\"example\",\"metrics\":[\"events\"]," + week + ",\"dimensions\":[\"event:type\"]}"))
                .containsEntry("pageview", List.of(9.0)).containsEntry("click", List.of(1.0))
                .containsEntry("custom", List.of(1.0)).containsEntry("form_submit", List.of(1.0)).hasSize(4);
        assertThat(h.breakdown("{\"site_id\":\"example\",\"metrics\":[\"events\",\"visitors\"]," + week + ",\"dimensions\":[\"event:name\"]}"))
                .containsExactly(Map.entry("signup", List.of(1.0, 1.0)));
        assertThat(h.breakdown("{\"site_id\":\"example\",\"metrics\":[\"pageviews\"]," + week
                + ",\"dimensions\":[\"event:page\"],\"filters\":[[\"contains\",\"event:page\",[\"/a\",\"/b\"]]]}"))
                .containsOnlyKeys("/about", "/blog");
    }

    @Test
    void visitBreakdownsCountSessionsByTheirFirstEventEntryAndExit() {
        String week = "\"date_range\":[\"2024-01-01\",\"2024-01-07\"]";
        assertThat(h.breakdown("{\"site_id\":\"example\",\"metrics\":[\"visits\",\"visitors\",\"bounce_rate\"]," + week
                + ",\"dimensions\":[\"visit:source\"]}"))
                .containsEntry("Direct / None", List.of(3.0, 3.0, 100.0 / 3)).containsEntry("Google", List.of(1.0, 1.0, 0.0))
                .containsEntry("Hacker News", List.of(1.0, 1.0, 0.0)).hasSize(3);
        assertThat(h.breakdown("{\"site_id\":\"example\",\"metrics\":[\"visits\"]," + week + ",\"dimensions\":[\"visit:entry_page\"]}"))
                .containsEntry("/", List.of(3.0)).containsEntry("/docs", List.of(1.0)).hasSize(2);
        assertThat(h.breakdown("{\"site_id\":\"example\",\"metrics\":[\"visits\"]," + week + ",\"dimensions\":[\"visit:exit_page\"]}"))
                .containsOnlyKeys("/blog", "/docs", "/about", "/x");
        assertThat(h.breakdown("{\"site_id\":\"example\",\"metrics\":[\"visits\",\"conversions\"]," + week + ",\"dimensions\":[\"visit:utm_campaign\"]}"))
                .containsExactly(Map.entry("jan", List.of(1.0, 1.0)));
        assertThat(h.breakdown("{\"site_id\":\"example\",\"metrics\":[\"visits\",\"percentage\"]," + week + ",\"dimensions\":[\"visit:referrer\"]}"))
                // percentage is the share of the first asked metric (visits: 1 of 5)
                .containsEntry("google.com", List.of(1.0, 20.0)).containsEntry("news.ycombinator.com", List.of(1.0, 20.0));
        assertThat(h.breakdown("{\"site_id\":\"example\",\"metrics\":[\"visits\"]," + week + ",\"dimensions\":[\"visit:device\"]}"))
                .containsExactly(Map.entry("desktop", List.of(5.0)));
        assertThat(h.breakdown("{\"site_id\":\"example\",\"metrics\":[\"visits\"]," + week + ",\"dimensions\":[\"visit:browser\"]}"))
                .containsExactly(Map.entry("Chrome", List.of(5.0)));
    }

    @Test
    void traitBreakdownUsesTheLatestIdentify() {
        assertThat(h.breakdown("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":[\"2024-01-01\",\"2024-01-07\"],"
                + "\"dimensions\":[\"visitor:trait:gender\"]}"))
                .containsOnly(Map.entry("f", List.of(2.0)), Map.entry("(none)", List.of(2.0)));
        assertThat(h.breakdown("{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":[\"2024-01-02\",\"2024-01-02\"],"
                + "\"dimensions\":[\"time:day\",\"visitor:trait:gender\"]}"))
                .containsEntry("2024-01-02,f", List.of(1.0)).containsEntry("2024-01-02,(none)", List.of(2.0));
    }

    @Test
    void aPeriodWithoutSessionsIsZeroNotAnError() {
        Map<String, Double> m = h.totals("example", "[\"2023-06-01\",\"2023-06-30\"]", names());
        assertThat(m.values()).allMatch(v -> v == 0.0);
    }

    private static String[] names() {
        return ALL.replaceAll("[\\[\\]\"]", "").split(",");
    }
}
