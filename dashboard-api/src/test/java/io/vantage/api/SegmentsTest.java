package io.vantage.api;

import static io.vantage.testing.TestEvents.at;
import static io.vantage.testing.TestEvents.event;
import static io.vantage.testing.TestEvents.pageview;
import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.model.Event;
import io.vantage.model.EventType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Segments (filters on any dimension, two dimensions, goals, properties, traits) over the
 * hand-computed scenario of {@link MetricsTest}, the week of 2024-01-01. Its visits:
 * A1 (Google, utm jan; /, /pricing, click, signup, /blog; converted), A2 (/docs, a bounce),
 * B1 (Hacker News; /, /about), C1 (/, /late, /x), E1 (a form submit on /, converted).
 */
class SegmentsTest {
    private static final String WEEK = "\"site_id\":\"example\",\"date_range\":[\"2024-01-01\",\"2024-01-07\"]";
    private MetricsHarness h;

    @BeforeEach
    void scenario() {
        h = Scenario.harness();
    }

    @AfterEach
    void close() {
        h.close();
    }

    private Map<String, List<Double>> q(String rest) {
        return h.breakdown("{" + WEEK + "," + rest + "}");
    }

    @Test
    void aVisitFilterWithAnEventBreakdownCountsTheEventsOfTheSelectedVisits() {
        // Pages seen in visits from Google: A1 only; its click and signup happened on "/"
        assertThat(q("\"metrics\":[\"events\",\"pageviews\",\"visitors\"],\"dimensions\":[\"event:page\"],"
                + "\"filters\":[[\"is\",\"visit:source\",[\"Google\"]]]"))
                .containsOnly(Map.entry("/", List.of(3.0, 1.0, 1.0)), Map.entry("/pricing", List.of(1.0, 1.0, 1.0)),
                        Map.entry("/blog", List.of(1.0, 1.0, 1.0)));
    }

    @Test
    void anEventFilterWithAVisitBreakdownCountsVisitsHoldingASelectedEvent() {
        // Visits that saw /pricing: A1 (5 events); event metrics count only the selected event
        assertThat(q("\"metrics\":[\"visits\",\"bounce_rate\",\"events_per_visit\",\"events\",\"visitors\"],"
                + "\"dimensions\":[\"visit:source\"],\"filters\":[[\"is\",\"event:page\",[\"/pricing\"]]]"))
                .containsOnly(Map.entry("Google", List.of(1.0, 0.0, 5.0, 1.0, 1.0)));
    }

    @Test
    void theBounceRateOfVisitsThatEnteredOnAPage() {
        // Entered on "/": A1, B1, C1 (E1 has no page view, so no entry page)
        assertThat(q("\"metrics\":[\"visits\",\"bounce_rate\",\"visitors\",\"pageviews\",\"events\"],"
                + "\"filters\":[[\"is\",\"visit:entry_page\",[\"/\"]]]"))
                .containsOnly(Map.entry("", List.of(3.0, 0.0, 3.0, 8.0, 10.0)));
    }

    @Test
    void twoDimensionsSplitRowsByBoth() {
        assertThat(q("\"metrics\":[\"pageviews\"],\"dimensions\":[\"visit:source\",\"event:page\"]"))
                .containsOnly(Map.entry("Google,/", List.of(1.0)), Map.entry("Google,/pricing", List.of(1.0)),
                        Map.entry("Google,/blog", List.of(1.0)), Map.entry("Direct / None,/docs", List.of(1.0)),
                        Map.entry("Hacker News,/", List.of(1.0)), Map.entry("Hacker News,/about", List.of(1.0)),
                        // C's "/" and E's form submit on "/"
                        Map.entry("Direct / None,/", List.of(1.0)), Map.entry("Direct / None,/late", List.of(1.0)),
                        Map.entry("Direct / None,/x", List.of(1.0)));
    }

    @Test
    void aTraitsNoneRowIsTheVisitorsNoRegularExpressionMatches() {
        // Given the breakdown's row of visitors without the trait
        Map<String, List<Double>> rows = q("\"metrics\":[\"visitors\",\"visits\",\"pageviews\"],\"dimensions\":[\"visitor:trait:gender\"]");
        assertThat(rows).containsKey("(none)");

        // Then the filter the dashboard sends for a click on it counts the same
        assertThat(q("\"metrics\":[\"visitors\",\"visits\",\"pageviews\"],\"filters\":[[\"matches_not\",\"visitor:trait:gender\",[\".*\"]]]"))
                .containsOnly(Map.entry("", rows.get("(none)")));
    }

    @Test
    void aTraitFilterRestrictsEveryMetricToThoseVisitors() {
        assertThat(q("\"metrics\":[\"visitors\",\"visits\",\"pageviews\"],\"filters\":[[\"is\",\"visitor:trait:gender\",[\"f\"]]]"))
                .containsOnly(Map.entry("", List.of(2.0, 3.0, 6.0)));
    }

    @Test
    void theReferrersMediumComesFromTheReferrerDatabase() {
        // A1 came from Google (search), B1 from Hacker News (social in the database), the rest without a referrer
        assertThat(q("\"metrics\":[\"visits\"],\"dimensions\":[\"visit:referrer_medium\"]"))
                .containsOnly(Map.entry("search", List.of(1.0)), Map.entry("social", List.of(1.0)), Map.entry("(none)", List.of(3.0)));
        // and it filters like any visit dimension: pages seen in visits from a search engine
        assertThat(q("\"metrics\":[\"pageviews\"],\"dimensions\":[\"event:page\"],"
                + "\"filters\":[[\"is\",\"visit:referrer_medium\",[\"search\"]]]"))
                .containsOnly(Map.entry("/", List.of(1.0)), Map.entry("/pricing", List.of(1.0)), Map.entry("/blog", List.of(1.0)));
    }

    @Test
    void missingValuesMatchOnlyTheNegatedOperators() {
        assertThat(q("\"metrics\":[\"visits\"],\"filters\":[[\"is_not\",\"visit:utm_campaign\",[\"jan\"]]]")).containsOnly(Map.entry("", List.of(4.0)));
        assertThat(q("\"metrics\":[\"visits\"],\"filters\":[[\"contains_not\",\"visit:utm_campaign\",[\"a\"]]]")).containsOnly(Map.entry("", List.of(4.0)));
        assertThat(q("\"metrics\":[\"visits\"],\"filters\":[[\"is\",\"visit:utm_campaign\",[\"jan\"]]]")).containsOnly(Map.entry("", List.of(1.0)));
        assertThat(q("\"metrics\":[\"visits\"],\"filters\":[[\"matches_not\",\"visit:referrer\",[\"google\"]]]")).containsOnly(Map.entry("", List.of(4.0)));
    }

    @Test
    void regularExpressionsCaseAndSeveralFiltersCombine() {
        assertThat(q("\"metrics\":[\"pageviews\"],\"filters\":[[\"matches\",\"event:page\",[\"^/(a|b)\"]]]")).containsOnly(Map.entry("", List.of(2.0)));
        assertThat(q("\"metrics\":[\"visits\"],\"filters\":[[\"is\",\"visit:source\",[\"google\"],{\"case_sensitive\":false}]]"))
                .containsOnly(Map.entry("", List.of(1.0)));
        assertThat(q("\"metrics\":[\"visits\"],\"filters\":[[\"is\",\"visit:source\",[\"google\"]]]")).containsOnly(Map.entry("", List.of(0.0)));
        // ANDed: Direct visits that saw "/" (C1 and E1), values ORed
        assertThat(q("\"metrics\":[\"visits\",\"visitors\"],\"filters\":[[\"is\",\"visit:source\",[\"Direct / None\"]],"
                + "[\"is\",\"event:page\",[\"/\",\"/nothing\"]]]")).containsOnly(Map.entry("", List.of(2.0, 2.0)));
    }

    @Test
    void goalsAreRowsWithConversionRatesOverAllVisits() {
        assertThat(q("\"metrics\":[\"visitors\",\"conversions\",\"conversion_rate\"],\"dimensions\":[\"event:goal\"]"))
                .containsOnly(Map.entry("signup", List.of(1.0, 1.0, 20.0)), Map.entry("form_submit", List.of(1.0, 1.0, 20.0)));
    }

    @Test
    void visitDimensionsByTheHourOfTheirStartWithLabelsInTheSiteOffset() {
        assertThat(h.breakdown("{\"site_id\":\"example\",\"date_range\":[\"2024-01-01\",\"2024-01-01\"],\"metrics\":[\"visits\"],"
                + "\"dimensions\":[\"visit:source\",\"time:hour\"]}"))
                .containsOnly(Map.entry("Google,2024-01-01T10:00:00Z", List.of(1.0)), Map.entry("Direct / None,2024-01-01T11:00:00Z", List.of(1.0)),
                        Map.entry("Hacker News,2024-01-01T23:00:00Z", List.of(1.0)));
        assertThat(h.query("{" + WEEK + ",\"metrics\":[\"visits\"],\"dimensions\":[\"time:day\"],\"include\":{\"time_labels\":true}}")
                .get("meta").get("time_labels")).hasSize(7);
        assertThat(h.breakdown("{" + WEEK + ",\"metrics\":[\"pageviews\"],\"dimensions\":[\"time:hour_of_day\"]}"))
                .containsEntry("10", List.of(4.0)).containsEntry("0", List.of(1.0));
    }

    @Test
    void customPropertiesAreDimensionsAndFilters() {
        h.site("shop", "UTC");
        h.send(event(EventType.CUSTOM, "P", at("2024-01-02T10:00:00Z")).site("shop").name("buy").props(Map.of("plan", "pro")),
                event(EventType.CUSTOM, "Q", at("2024-01-02T10:00:00Z")).site("shop").name("buy").props(Map.of("plan", "free")),
                pageview("Q", at("2024-01-02T10:01:00Z"), "/").site("shop"));
        String shop = "{\"site_id\":\"shop\",\"date_range\":[\"2024-01-02\",\"2024-01-02\"],";
        assertThat(h.breakdown(shop + "\"metrics\":[\"events\",\"visitors\"],\"dimensions\":[\"event:props:plan\"]}"))
                .containsOnly(Map.entry("pro", List.of(1.0, 1.0)), Map.entry("free", List.of(1.0, 1.0)), Map.entry("(none)", List.of(1.0, 1.0)));
        assertThat(h.breakdown(shop + "\"metrics\":[\"visitors\"],\"filters\":[[\"is\",\"event:props:plan\",[\"pro\"]]]}"))
                .containsOnly(Map.entry("", List.of(1.0)));
        // The "(none)" row again, as the dashboard asks for it when that row is clicked: no value matches no regular expression
        assertThat(h.breakdown(shop + "\"metrics\":[\"events\",\"visitors\"],\"filters\":[[\"matches_not\",\"event:props:plan\",[\".*\"]]]}"))
                .containsOnly(Map.entry("", List.of(1.0, 1.0)));
    }

    @Test
    void anHourReadByAnEarlierQueryIsReadAgainOnceItChanges() {
        String monday = "{\"site_id\":\"example\",\"date_range\":[\"2024-01-01\",\"2024-01-01\"],\"metrics\":[\"pageviews\",\"visits\"]}";
        assertThat(h.breakdown(monday)).containsOnly(Map.entry("", List.of(5.0, 3.0)));

        // A late page view joins A1 (10:00-10:50) and a new visitor starts a visit in the same hour
        h.send(pageview("A", at("2024-01-01T10:30:00Z"), "/late").ingest(Event.Ingest.IMPORT),
                pageview("N", at("2024-01-01T10:40:00Z"), "/").ingest(Event.Ingest.IMPORT));

        assertThat(h.breakdown(monday)).containsOnly(Map.entry("", List.of(7.0, 4.0)));
    }

    @Test
    void aTimeFilterKeepsEventsByTheirTimeAndVisitsByTheirStart() {
        // Hour 10 (UTC): A's five events of 2024-01-01 (four page views counted: the repeat is one) and C's /x; only A1 starts then
        assertThat(q("\"metrics\":[\"visits\",\"pageviews\",\"events\",\"visitors\"],\"filters\":[[\"is\",\"time:hour_of_day\",[\"10\"]]]"))
                .containsOnly(Map.entry("", List.of(1.0, 4.0, 6.0, 2.0)));
        // 2024-01-02: B's /about and C's three page views; C1 and E1 start that day (B1 started the evening before)
        assertThat(q("\"metrics\":[\"visits\",\"pageviews\",\"visitors\"],\"filters\":[[\"is\",\"time:day\",[\"2024-01-02\"]]]"))
                .containsOnly(Map.entry("", List.of(2.0, 4.0, 3.0)));
        // combined with a breakdown and another filter: pages of hour 10 from visits that came from Google
        assertThat(q("\"metrics\":[\"pageviews\"],\"dimensions\":[\"event:page\"],\"filters\":[[\"is\",\"time:hour_of_day\",[\"10\"]],"
                + "[\"is\",\"visit:source\",[\"Google\"]]]"))
                .containsOnly(Map.entry("/", List.of(1.0)), Map.entry("/pricing", List.of(1.0)), Map.entry("/blog", List.of(1.0)));
        // negated: every page view but those of hour 10
        assertThat(q("\"metrics\":[\"pageviews\"],\"filters\":[[\"is_not\",\"time:hour_of_day\",[\"10\"]]]"))
                .containsOnly(Map.entry("", List.of(5.0)));
    }

    @Test
    void aGoalBreakdownHasARowForEveryGoalOfTheSiteReachedOrNot() {
        h.site("shop", "UTC", "signup", "purchase");
        h.send(event(EventType.CUSTOM, "P", at("2024-01-02T10:00:00Z")).site("shop").name("signup"),
                pageview("Q", at("2024-01-02T10:01:00Z"), "/").site("shop"));
        String shop = "{\"site_id\":\"shop\",\"date_range\":[\"2024-01-02\",\"2024-01-02\"],";
        assertThat(h.breakdown(shop + "\"metrics\":[\"visitors\",\"conversions\",\"conversion_rate\"],\"dimensions\":[\"event:goal\"]}"))
                .containsOnly(Map.entry("signup", List.of(1.0, 1.0, 50.0)), Map.entry("purchase", List.of(0.0, 0.0, 0.0)),
                        Map.entry("form_submit", List.of(0.0, 0.0, 0.0)));
        assertThat(h.query(shop + "\"metrics\":[\"conversions\"],\"dimensions\":[\"event:goal\"]}").get("meta").get("total_rows").asInt())
                .isEqualTo(3);
        // a goal filter keeps only the goals it matches
        assertThat(h.breakdown(shop + "\"metrics\":[\"conversions\"],\"dimensions\":[\"event:goal\"],\"filters\":[[\"is\",\"event:goal\",[\"purchase\"]]]}"))
                .containsOnly(Map.entry("purchase", List.of(0.0)));
    }
}
