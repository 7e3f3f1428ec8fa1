package io.vantage.processor;

import static io.vantage.testing.TestEvents.event;
import static io.vantage.testing.TestEvents.pageview;
import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.model.Event;
import io.vantage.model.EventKeys;
import io.vantage.model.EventType;
import io.vantage.model.Site;
import io.vantage.model.Stores;
import io.vantage.store.ProcessingListener;
import io.vantage.store.StoreKeys;
import io.vantage.store.VisitRecord;
import io.vantage.store.VisitorHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Erasing a visitor on request, and a site's retention, on the production topology. */
class ForgettingTest {
    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");
    private static final long DAY = Duration.ofDays(1).toMillis();
    private final Map<String, AtomicLong> dropped = new ConcurrentHashMap<>();
    private final ProcessingListener listener = new ProcessingListener() {
        @Override
        public void onDropped(String reason) {
            dropped.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        }
    };
    private TopologyFixture topology;

    @AfterEach
    void stop() {
        topology.close();
    }

    private TopologyFixture start(int retentionDays) {
        return start(retentionDays, TopologyConfig.DEFAULT_SWEEP_ROWS);
    }

    private TopologyFixture start(int retentionDays, int sweepRows) {
        topology = new TopologyFixture(TopologyConfig.defaults().withListener(listener).withRetentionSweep(Duration.ofHours(1), sweepRows), NOW);
        topology.site(new Site("example", "example.com", "UTC", List.of(), List.of(), 30, List.of(), retentionDays));
        return topology;
    }

    @Test
    void anErasureDeletesTheVisitorsVisitsIndexTraitsAndProfileAndNothingElse() {
        // Given two visitors with two visits each, one of them identified with a trait
        start(0);
        long t = NOW.toEpochMilli() - 3 * DAY;
        for (String v : List.of("alice", "bob")) {
            topology.send(pageview(v, t, "/").build(), pageview(v, t + 60_000, "/pricing").build(),
                    pageview(v, t + DAY, "/").build(),
                    event(EventType.IDENTIFY, v, t + DAY + 1).traits(Map.of("gender", "f")).build());
        }
        assertThat(topology.visits("example")).hasSize(4);

        // When alice is erased
        topology.erase("example", "alice");

        // Then her visits, index entries, trait row and profile are gone, and bob's are all there
        assertThat(topology.visits("example")).extracting(VisitRecord::visitor).containsOnly(VisitorHash.of("bob")).hasSize(2);
        assertThat(topology.profile(EventKeys.of("example", "alice"))).isNull();
        assertThat(topology.profile(EventKeys.of("example", "bob")).visits()).isEqualTo(2);
        assertThat(topology.get(Stores.VISITOR_SESSIONS, StoreKeys.visitorSession("example", "alice", t))).isNull();
        assertThat(topology.get(Stores.VISITOR_SESSIONS, StoreKeys.visitorSession("example", "bob", t))).isNotNull();
        assertThat(topology.get(Stores.VISITOR_TRAITS, StoreKeys.trait("example", "gender", VisitorHash.of("alice")))).isNull();
        assertThat(new String(topology.get(Stores.VISITOR_TRAITS, StoreKeys.trait("example", "gender", VisitorHash.of("bob"))),
                StandardCharsets.UTF_8)).isEqualTo("f");

        // And when alice comes back she is a new visitor, in a visit of its own that is her first
        topology.send(pageview("alice", NOW.toEpochMilli() + 1_000, "/again").receivedAt(NOW.toEpochMilli() + 2_000).build());
        assertThat(topology.profile(EventKeys.of("example", "alice")).visits()).isEqualTo(1);
        List<VisitRecord> hers = topology.visits("example").stream().filter(v -> v.visitor() == VisitorHash.of("alice")).toList();
        assertThat(hers).singleElement().satisfies(v -> {
            assertThat(v.firstVisit()).isTrue();
            assertThat(v.events()).hasSize(1);
        });
    }

    /** Moves the clock on, then lets the sweep's steps (one a second) run until it is through. */
    private void sweep(Duration d) {
        topology.advance(d);
        for (int i = 0; i < 20; i++) {
            topology.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void eventsReceivedBeforeTheErasureStayErasedWhicheverTopicIsReadFirst() {
        // Given an erasure of alice that the processor reads before a backlog of her events on the events topic
        start(0);
        long t = NOW.toEpochMilli() - 3 * DAY;
        topology.send(pageview("alice", t, "/").receivedAt(NOW.toEpochMilli() - 60_000).build());
        topology.erase("example", "alice");
        topology.send(pageview("alice", t + 60_000, "/late").receivedAt(NOW.toEpochMilli() - 30_000).build());

        // Then the events received before the erasure was asked are not counted, the earlier and the later read alike
        assertThat(topology.visits("example")).isEmpty();
        assertThat(topology.profile(EventKeys.of("example", "alice"))).isNull();
        assertThat(dropped.get("erased")).hasValue(1);

        // And what she sends after it counts: she came back
        topology.send(pageview("alice", NOW.toEpochMilli(), "/back").receivedAt(NOW.toEpochMilli() + 1_000).build());
        assertThat(topology.visits("example")).singleElement().satisfies(v -> assertThat(v.events()).hasSize(1));
    }

    @Test
    void whatHappenedBeforeTheErasureStaysErasedWhenItArrivesAfterItButAnImportCounts() {
        // Given alice's event, counted, then her erasure
        start(0);
        long t = NOW.toEpochMilli() - 60_000;
        Event counted = pageview("alice", t, "/").eventId("e1").receivedAt(t + 500).build();
        topology.send(counted);
        topology.erase("example", "alice");

        // When the client retries that event after the erasure (its first copy and visit are gone),
        // and sends another live event that happened before the erasure, late
        topology.send(counted.toBuilder().receivedAt(NOW.toEpochMilli() + 5_000).build(),
                pageview("alice", t + 30_000, "/late").eventId("e2").receivedAt(NOW.toEpochMilli() + 6_000).build());

        // Then neither is counted: both are of what was erased
        assertThat(topology.visits("example")).isEmpty();
        assertThat(dropped.get("erased")).hasValue(2);

        // But an import of her history received after the erasure counts (imports are history by definition)
        topology.send(pageview("alice", t - DAY, "/imported").eventId("log:1").receivedAt(NOW.toEpochMilli() + 7_000)
                .ingest(Event.Ingest.IMPORT).build());
        assertThat(topology.visits("example")).singleElement().satisfies(v -> assertThat(v.events()).extracting(
                io.vantage.store.VisitEvent::page).containsExactly("/imported"));
    }

    @Test
    void aLargeSweepGoesOnInStepsAndAVisitorKeptByATraitCanComeBack() {
        // Given a site keeping 1 day and 30 visitors of 12 hours ago
        start(1, 7);
        long now = NOW.toEpochMilli();
        for (int i = 0; i < 30; i++) {
            topology.send(pageview("v" + i, now - DAY / 2 + i * 60_000L, "/").build());
        }
        // When 3 days pass, and one of them then sends an identify (a trait keeps a profile, not a visit)
        topology.advance(Duration.ofDays(3));
        long later = now + 3 * DAY;
        topology.send(event(EventType.IDENTIFY, "v0", later).receivedAt(later).traits(Map.of("plan", "pro")).build());

        // Then the sweep's first steps (7 rows each) have not deleted everything at once
        topology.advance(Duration.ofSeconds(1));
        assertThat(topology.visits("example")).hasSizeBetween(1, 29);
        sweep(Duration.ofSeconds(1));

        // And the sweep's later steps delete every old visit, and the profiles of the visitors not seen since, not v0's
        assertThat(topology.visits("example")).isEmpty();
        assertThat(topology.profile(EventKeys.of("example", "v1"))).isNull();
        assertThat(topology.profile(EventKeys.of("example", "v0"))).isNotNull();
        // And v0 comes back without tripping over the visit retention deleted: a new visit
        topology.send(pageview("v0", later + 60_000, "/again").receivedAt(later + 60_000).build());
        assertThat(topology.visits("example")).singleElement().satisfies(v -> assertThat(v.events()).hasSize(1));
    }

    @Test
    void anErasureThatIsNotOneIsABadEvent() {
        // Given a record on the erasures topic that is not an erasure, and one keyed for another visitor
        start(0);
        topology.sendErasureRaw(EventKeys.of("example", "x"), "{not json".getBytes(StandardCharsets.UTF_8));
        topology.sendErasureRaw(EventKeys.of("example", "x"),
                "{\"site\":\"example\",\"visitor_id\":\"y\",\"requested_at\":1}".getBytes(StandardCharsets.UTF_8));

        // Then both are bad events with the reason, and processing goes on
        assertThat(topology.bad.readValuesToList()).extracting(b -> b.reason()).containsExactly("invalid_erasure", "invalid_erasure");
        topology.send(pageview("v", NOW.toEpochMilli(), "/").build());
        assertThat(topology.visits("example")).hasSize(1);
    }

    @Test
    void retentionDeletesVisitsThatEndedBeforeItsHorizonAndTheProfilesOfVisitorsGoneSinceThen() {
        // Given a site that keeps 30 days, a visitor last seen 27 days ago and one seen 25 and 5 days ago
        start(30);
        long now = NOW.toEpochMilli();
        topology.send(pageview("old", now - 27 * DAY, "/").build(),
                event(EventType.IDENTIFY, "old", now - 27 * DAY + 1).traits(Map.of("plan", "pro")).build(),
                pageview("both", now - 25 * DAY, "/").build(),
                pageview("both", now - 5 * DAY, "/").build());
        // And an import older than the horizon, which is not counted
        topology.send(pageview("ancient", now - 31 * DAY, "/").build());
        assertThat(dropped.get("beyond_retention")).hasValue(1);
        assertThat(topology.visits("example")).hasSize(3);

        // When 2 days pass (the sweep runs hourly)
        sweep(Duration.ofDays(2));

        // Then every visit stays: the oldest is 29 days old now
        assertThat(topology.visits("example")).hasSize(3);

        // When 3 days and 2 hours more pass: the visits of 27 and 25 days ago are 32 and 30 days and 2 hours old
        sweep(Duration.ofDays(3).plusHours(2));

        // Then both are deleted with their index entries; the visit of 5 days ago stays
        assertThat(topology.visits("example")).singleElement()
                .satisfies(v -> assertThat(v.start()).isEqualTo(now - 5 * DAY));
        assertThat(topology.get(Stores.VISITOR_SESSIONS, StoreKeys.visitorSession("example", "both", now - 25 * DAY))).isNull();
        assertThat(topology.get(Stores.VISITOR_SESSIONS, StoreKeys.visitorSession("example", "both", now - 5 * DAY))).isNotNull();
        // And the visitor gone since the horizon loses profile and traits; the other keeps the profile
        assertThat(topology.profile(EventKeys.of("example", "old"))).isNull();
        assertThat(topology.get(Stores.VISITOR_TRAITS, StoreKeys.trait("example", "plan", VisitorHash.of("old")))).isNull();
        assertThat(topology.profile(EventKeys.of("example", "both"))).isNotNull();

        // And the visitor kept can still come back into its kept visit
        topology.send(pageview("both", now - 5 * DAY + 60_000, "/more").build());
        assertThat(topology.visits("example")).singleElement().satisfies(v -> assertThat(v.events()).hasSize(2));
    }
}
