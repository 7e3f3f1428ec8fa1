package io.vantage.processor;

import static io.vantage.testing.TestEvents.at;
import static io.vantage.testing.TestEvents.event;
import static io.vantage.testing.TestEvents.pageview;
import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.model.BadEvent;
import io.vantage.model.Event;
import io.vantage.model.EventKeys;
import io.vantage.model.EventType;
import io.vantage.processor.rollup.Dimension;
import io.vantage.processor.rollup.Granularity;
import io.vantage.processor.rollup.LocalMinutes;
import io.vantage.processor.rollup.Rollup;
import io.vantage.processor.rollup.RollupKey;
import io.vantage.processor.rollup.VisitorSet;
import io.vantage.profiler.VisitorProfile;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VantageTopologyTest {
    private TopologyFixture topology;

    @BeforeEach
    void start() {
        topology = new TopologyFixture(TopologyConfig.defaults()).site("example", "UTC");
    }

    @AfterEach
    void stop() {
        topology.close();
    }

    private static RollupKey day(String site, Dimension dim, String date, String value) {
        return new RollupKey(site, dim, Granularity.DAY, LocalMinutes.of(LocalDateTime.parse(date + "T00:00")), value);
    }

    @Test
    void countsEventsPageviewsAndDistinctVisitorsPerDay() {
        // Given two visitors, one of them twice, and a click
        topology.send(
                pageview("v1", at("2024-01-01T10:00:00Z"), "/").build(),
                pageview("v1", at("2024-01-01T10:05:00Z"), "/pricing").build(),
                pageview("v2", at("2024-01-01T23:59:59Z"), "/").build(),
                event(EventType.CLICK, "v2", at("2024-01-01T23:59:59.500Z")).build());

        // Then the day row holds 4 events, 3 pageviews, 2 visitors
        Rollup total = topology.rollup(day("example", Dimension.ALL, "2024-01-01", ""));
        assertThat(total.events()).isEqualTo(4);
        assertThat(total.pageviews()).isEqualTo(3);
        assertThat(VisitorSet.count(total.visitors())).isEqualTo(2);

        // And the page rows split them by path (the click happened on "/")
        Rollup home = topology.rollup(day("example", Dimension.PAGE, "2024-01-01", "/"));
        assertThat(home.pageviews()).isEqualTo(2);
        assertThat(home.events()).isEqualTo(3);
        assertThat(VisitorSet.count(home.visitors())).isEqualTo(2);
        Rollup pricing = topology.rollup(day("example", Dimension.PAGE, "2024-01-01", "/pricing"));
        assertThat(pricing.pageviews()).isEqualTo(1);
        assertThat(VisitorSet.count(pricing.visitors())).isEqualTo(1);

        // And nothing was counted on the next day
        assertThat(topology.rollup(day("example", Dimension.ALL, "2024-01-02", ""))).isNull();
    }

    @Test
    void bucketsDaysInTheSiteTimeZone() {
        // Given a Berlin site and a page view at 23:30 UTC, which is 00:30 the next day in Berlin (winter)
        topology.site("berlin", "Europe/Berlin");
        topology.send(pageview("v1", at("2024-01-01T23:30:00Z"), "/").site("berlin").build());

        // Then it counts on the Berlin calendar day
        assertThat(topology.rollup(day("berlin", Dimension.ALL, "2024-01-02", "")).pageviews()).isEqualTo(1);
        assertThat(topology.rollup(day("berlin", Dimension.ALL, "2024-01-01", ""))).isNull();
    }

    @Test
    void countsARepeatedEventIdOnce() {
        Event e = pageview("v1", at("2024-01-01T10:00:00Z"), "/").eventId("same").build();
        topology.send(e, e.toBuilder().receivedAt(e.receivedAt() + 60_000).build());

        assertThat(topology.rollup(day("example", Dimension.ALL, "2024-01-01", "")).events()).isEqualTo(1);
    }

    @Test
    void dropsBotsBeforeCounting() {
        topology.send(
                pageview("bot", at("2024-01-01T10:00:00Z"), "/").userAgent("Googlebot/2.1 (+http://www.google.com/bot.html)").build(),
                pageview("human", at("2024-01-01T10:00:00Z"), "/").build());

        Rollup total = topology.rollup(day("example", Dimension.ALL, "2024-01-01", ""));
        assertThat(total.events()).isEqualTo(1);
        assertThat(VisitorSet.count(total.visitors())).isEqualTo(1);
    }

    @Test
    void routesPoisonPillsAndUnknownSitesToTheBadTopicAndKeepsGoing() {
        topology.sendRaw("k", "{not json".getBytes(StandardCharsets.UTF_8));
        topology.send(pageview("v1", at("2024-01-01T10:00:00Z"), "/").site("nosuchsite").build());
        topology.send(pageview("v1", at("2024-01-01T10:00:00Z"), "/").build());

        BadEvent poison = topology.bad.readValue();
        assertThat(poison.reason()).isEqualTo("unparseable");
        assertThat(poison.raw()).isEqualTo("{not json");
        BadEvent unknown = topology.bad.readValue();
        assertThat(unknown.reason()).isEqualTo("unknown_site");
        assertThat(unknown.field()).isEqualTo("site");
        assertThat(topology.bad.isEmpty()).isTrue();
        assertThat(topology.rollup(day("example", Dimension.ALL, "2024-01-01", "")).events()).isEqualTo(1);
    }

    @Test
    void liveBeaconsBeyondTheGraceAreTooLateButImportsOfAnyAgeCount() {
        long received = at("2024-01-01T12:00:00Z");
        // Given a live beacon 61 minutes old, one 59 minutes old, and an import from 1995
        topology.send(
                pageview("v1", received - 61 * 60_000, "/late").receivedAt(received).ip("203.0.113.9").build(),
                pageview("v1", received - 59 * 60_000, "/ok").receivedAt(received).build(),
                pageview("h", at("1995-08-01T06:00:00Z"), "/history").receivedAt(received).ingest(Event.Ingest.IMPORT).build());

        BadEvent late = topology.bad.readValue();
        assertThat(late.reason()).isEqualTo("too_late");
        assertThat(late.field()).isEqualTo("ts");
        assertThat(late.raw()).contains("/late").doesNotContain("203.0.113.9");
        assertThat(topology.bad.isEmpty()).isTrue();
        assertThat(topology.rollup(day("example", Dimension.ALL, "2024-01-01", "")).pageviews()).isEqualTo(1);
        assertThat(topology.rollup(day("example", Dimension.ALL, "1995-08-01", "")).pageviews()).isEqualTo(1);
    }

    @Test
    void keepsTheVisitorProfileWhateverTheOrderOfEvents() {
        topology.send(
                pageview("v1", at("2024-01-02T10:00:00Z"), "/second").build(),
                pageview("v1", at("2024-01-01T10:00:00Z"), "/first").receivedAt(at("2024-01-02T10:00:01Z"))
                        .ingest(Event.Ingest.IMPORT).build(),
                event(EventType.IDENTIFY, "v1", at("2024-01-02T10:01:00Z")).traits(Map.of("gender", "f")).build());

        VisitorProfile p = topology.profile(EventKeys.of("example", "v1"));
        assertThat(p.firstSeen()).isEqualTo(at("2024-01-01T10:00:00Z"));
        assertThat(p.lastSeen()).isEqualTo(at("2024-01-02T10:00:00Z"));
        assertThat(p.firstPage()).isEqualTo("/first");
        assertThat(p.lastPage()).isEqualTo("/second");
        assertThat(p.events()).isEqualTo(2);
        assertThat(p.traits()).containsEntry("gender", "f");
    }
}
