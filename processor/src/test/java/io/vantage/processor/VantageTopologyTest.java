package io.vantage.processor;

import static io.vantage.testing.TestEvents.at;
import static io.vantage.testing.TestEvents.event;
import static io.vantage.testing.TestEvents.pageview;
import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.model.BadEvent;
import io.vantage.model.Event;
import io.vantage.model.EventKeys;
import io.vantage.model.EventType;
import io.vantage.model.Stores;
import io.vantage.store.StoreKeys;
import io.vantage.store.VisitEvent;
import io.vantage.store.VisitFacts;
import io.vantage.store.VisitRecord;
import io.vantage.store.VisitorHash;
import io.vantage.profiler.VisitorProfile;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

    @Test
    void keepsOneRowPerVisitWithItsEventsInOrder() {
        // Given two visitors, the second with a page view and a click
        topology.send(
                pageview("v1", at("2024-01-01T10:00:00Z"), "/").referrer("https://www.google.com/").build(),
                pageview("v1", at("2024-01-01T10:05:00Z"), "/pricing").build(),
                pageview("v2", at("2024-01-01T23:59:59Z"), "/").build(),
                event(EventType.CLICK, "v2", at("2024-01-01T23:59:59.500Z")).build());

        // Then each visit is one row holding its events, with the facts of its first event
        List<VisitRecord> visits = topology.visits("example");
        assertThat(visits).hasSize(2);
        VisitRecord v1 = visits.get(0);
        assertThat(v1.visitor()).isEqualTo(VisitorHash.of("v1"));
        assertThat(v1.events()).extracting(VisitEvent::page).containsExactly("/", "/pricing");
        assertThat(v1.facts().source()).isEqualTo("Google");
        assertThat(v1.firstVisit()).isTrue();
        assertThat(visits.get(1).events()).extracting(VisitEvent::type).containsExactly(EventType.PAGEVIEW, EventType.CLICK);
        // And the longest visit of the site is known, so queries know how far back to look
        assertThat(StoreKeys.longOf(topology.get(Stores.SITE_SPANS, StoreKeys.span("example")))).isEqualTo(5 * 60_000L);
    }

    @Test
    void aLateEventThatBridgesTwoVisitsMergesThemIntoOneRowAndDeletesTheOther() {
        // Given two visits 40 minutes apart
        topology.send(pageview("v1", at("2024-01-02T09:00:00Z"), "/").build(),
                pageview("v1", at("2024-01-02T09:40:00Z"), "/x").build());
        assertThat(topology.visits("example")).hasSize(2);

        // When an event between them arrives late
        topology.send(pageview("v1", at("2024-01-02T09:20:00Z"), "/late").receivedAt(at("2024-01-02T09:45:00Z")).build());

        // Then one visit remains, with the three events in time order; the other row is gone
        List<VisitRecord> visits = topology.visits("example");
        assertThat(visits).hasSize(1);
        assertThat(visits.get(0).events()).extracting(VisitEvent::page).containsExactly("/", "/late", "/x");
        assertThat(topology.count(Stores.VISITOR_SESSIONS)).isEqualTo(1);
    }

    @Test
    void equalTimesKeepTheOrderReceived() {
        long t = at("2024-01-01T10:00:00Z");
        topology.send(pageview("v1", t, "/b").build(), pageview("v1", t, "/a").build(), pageview("v1", t - 1000, "/first").build());

        assertThat(topology.visits("example").get(0).events()).extracting(VisitEvent::page).containsExactly("/first", "/b", "/a");
    }

    @Test
    void anEarlierVisitTakesTheFirstVisitFlagFromTheOneThatHadIt() {
        topology.send(pageview("v1", at("2024-01-05T10:00:00Z"), "/").build(),
                pageview("v1", at("2024-01-01T10:00:00Z"), "/").ingest(Event.Ingest.IMPORT).build());

        List<VisitRecord> visits = topology.visits("example");
        assertThat(visits).extracting(VisitRecord::start).containsExactly(at("2024-01-01T10:00:00Z"), at("2024-01-05T10:00:00Z"));
        assertThat(visits).extracting(VisitRecord::firstVisit).containsExactly(true, false);
    }

    @Test
    void indexesTheLatestTraitOfEachVisitor() {
        topology.send(event(EventType.IDENTIFY, "v1", at("2024-01-01T10:00:00Z")).traits(Map.of("gender", "m")).build(),
                event(EventType.IDENTIFY, "v1", at("2024-01-01T10:01:00Z")).traits(Map.of("gender", "f")).build());

        byte[] value = topology.get(Stores.VISITOR_TRAITS, StoreKeys.trait("example", "gender", VisitorHash.of("v1")));
        assertThat(new String(value, StandardCharsets.UTF_8)).isEqualTo("f");
        // identify is not an action: no visit
        assertThat(topology.visits("example")).isEmpty();
    }

    @Test
    void countsARepeatedEventIdOnce() {
        Event e = pageview("v1", at("2024-01-01T10:00:00Z"), "/").eventId("same").build();
        topology.send(e, e.toBuilder().receivedAt(e.receivedAt() + 60_000).build());

        assertThat(topology.visits("example").get(0).events()).hasSize(1);
    }

    @Test
    void anIdTheCollectorMadeUpIsCountedWithoutBeingRemembered() {
        Event made = pageview("v1", at("2024-01-01T10:00:00Z"), "/").eventId(Event.GENERATED_ID_PREFIX + "1f0e").build();
        Event own = pageview("v1", at("2024-01-01T10:01:00Z"), "/b").eventId("own").receivedAt(at("2024-01-01T10:01:01Z")).build();
        topology.send(made, own);

        // only the client's own id is kept for finding its repeats, in the visit
        assertThat(topology.visits("example").get(0).events()).extracting(VisitEvent::id).containsExactly(0L, VisitEvent.idOf(own));
        assertThat(topology.count(Stores.EVENT_IDS)).isZero();
    }

    @Test
    void findsARepeatInTheVisitOfItsFirstCopyLongAfterTheDedupWindow() {
        // Given a visit of 40 events with the client's times (each received a second after it happened),
        // the third with the client's id "c2"
        long t = at("2024-01-01T10:00:00Z");
        List<Event> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            sent.add(pageview("v1", t + i * 10_000L, "/p" + i).eventId("c" + i).receivedAt(t + i * 10_000L + 1_000).build());
        }
        topology.send(sent.toArray(Event[]::new));
        Event third = sent.get(2);

        // When "c2" arrives again three days later (a client's retry queue), and again with its time
        // corrected a little differently by sent_at, out of order both times
        long later = third.receivedAt() + java.time.Duration.ofDays(3).toMillis();
        topology.send(third.toBuilder().receivedAt(later).build(), third.toBuilder().ts(third.ts() + 40).receivedAt(later).build());

        // Then the visit still holds its 40 events, and no id was written to the event-ids store
        assertThat(topology.visits("example")).singleElement().satisfies(v -> assertThat(v.events()).hasSize(40));
        assertThat(topology.count(Stores.EVENT_IDS)).isZero();
    }

    @Test
    void theSameIdFromAnotherVisitorOrInAnotherVisitIsNoRepeat() {
        long t = at("2024-01-01T10:00:00Z");
        topology.send(pageview("v1", t, "/").eventId("same").receivedAt(t + 1_000).build(),
                pageview("v2", t, "/").eventId("same").receivedAt(t + 1_000).build(),
                pageview("v1", t + 7_200_000, "/next").eventId("same").receivedAt(t + 7_201_000).build());

        assertThat(topology.visits("example")).hasSize(3);
    }

    @Test
    void aRepeatOfAnEventTimedByItsReceiptIsFoundByItsIdThoughItJoinsAnotherVisit() {
        // Given an event without a client time: the collector gave it the time it was received
        long t = at("2024-01-01T10:00:00Z");
        Event first = pageview("v1", t, "/").eventId("no-ts").receivedAt(t).build();
        topology.send(first);

        // When its retry arrives two hours later, timed by its own receipt
        long retry = t + 7_200_000;
        topology.send(first.toBuilder().ts(retry).receivedAt(retry).build());

        // Then it is not counted again, though its time puts it in no visit of the first copy
        assertThat(topology.visits("example")).singleElement().satisfies(v -> assertThat(v.events()).hasSize(1));
        assertThat(topology.count(Stores.EVENT_IDS)).isEqualTo(1);
    }

    @Test
    void aRepeatedIdentifyIsRememberedInTheEventIdsStoreAndDroppedThere() {
        long t = at("2024-01-01T10:00:00Z");
        Event identify = event(EventType.IDENTIFY, "v1", t).eventId("i1").traits(Map.of("plan", "pro")).receivedAt(t + 1_000).build();
        topology.send(identify,
                pageview("v1", t + 60_000, "/").eventId("p1").receivedAt(t + 61_000).build(),
                identify.toBuilder().ts(t + 120_000).receivedAt(t + 121_000).traits(Map.of("plan", "free")).build());

        // The repeat (same id, though it says otherwise) is dropped: the trait is the first copy's
        assertThat(topology.profile(EventKeys.of("example", "v1")).traits()).containsEntry("plan", "pro");
        assertThat(topology.count(Stores.EVENT_IDS)).as("the identify's id only").isEqualTo(1);
    }

    @Test
    void aVisitFromBeforeIdsWereKeptAsksTheEventIdsStore() {
        VisitFacts facts = new VisitFacts(null, null, null, null, null, null, null, null, null);
        VisitEvent withId = new VisitEvent(1_000, EventType.PAGEVIEW, "/", null, Map.of(), 5L);
        byte[] current = new VisitRecord(1L, true, facts, List.of(withId)).encode();
        byte[] old = new VisitRecord(1L, true, facts, List.of(new VisitEvent(1_000, EventType.PAGEVIEW, "/", null, Map.of()))).encode();
        old[0] = 2; // version 2 kept no ids; its events are laid out as version 3's without one
        VisitRecord stored = VisitRecord.decode(current, 1_000);
        VisitRecord legacy = VisitRecord.decode(old, 1_000);
        assertThat(legacy.idsUnknown()).isTrue();
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();

        assertThat(VisitProcessor.repeats(List.of(stored), 5L, () -> asked.incrementAndGet() > 0)).as("held").isTrue();
        assertThat(VisitProcessor.repeats(List.of(stored), 6L, () -> asked.incrementAndGet() > 0)).as("not held").isFalse();
        assertThat(asked).as("a visit that keeps ids answers alone").hasValue(0);
        assertThat(VisitProcessor.repeats(List.of(stored, legacy), 6L, () -> asked.incrementAndGet() > 0)).as("remembered").isTrue();
        assertThat(VisitProcessor.repeats(List.of(legacy.merge(stored)), 6L, () -> false)).as("not remembered").isFalse();
        assertThat(legacy.merge(stored).idsUnknown()).as("a visit grown from an old one").isTrue();
        assertThat(VisitProcessor.repeats(List.of(legacy), 0L, () -> true)).as("an id the collector made up").isFalse();
    }

    @Test
    void dropsEventsTheCollectorFoundToBeBotsBeforeCounting() {
        topology.send(
                pageview("bot", at("2024-01-01T10:00:00Z"), "/").client(io.vantage.testing.TestEvents.BOT).build(),
                pageview("human", at("2024-01-01T10:00:00Z"), "/").build());

        assertThat(topology.visits("example")).extracting(VisitRecord::visitor).containsExactly(VisitorHash.of("human"));
    }

    @Test
    void routesPoisonPillsAndUnknownSitesToTheBadTopicAndKeepsGoing() {
        topology.sendRaw("k", "{not json".getBytes(StandardCharsets.UTF_8));
        topology.send(pageview("v1", at("2024-01-01T10:00:00Z"), "/").site("nosuchsite").build());
        topology.send(pageview("v1", at("2024-01-01T10:00:00Z"), "/").build());

        BadEvent poison = topology.bad.readValue();
        assertThat(poison.reason()).isEqualTo("unparseable");
        assertThat(poison.raw()).isEqualTo("{not json");
        assertThat(topology.bad.isEmpty()).as("an unknown site's event first waits for its site").isTrue();
        topology.driver.advanceWallClockTime(java.time.Duration.ofMillis(ParseProcessor.AWAIT_SITE_MS + 2_000));
        BadEvent unknown = topology.bad.readValue();
        assertThat(unknown.reason()).isEqualTo("unknown_site");
        assertThat(unknown.field()).isEqualTo("site");
        assertThat(topology.bad.isEmpty()).isTrue();
        assertThat(topology.visits("example")).hasSize(1);
    }

    @Test
    void countsTheFirstEventsOfASiteThatReachTheProcessorBeforeTheSiteDoes() {
        // Given events of a site created a moment ago, read before the global store has the site
        topology.send(pageview("v1", at("2024-01-01T10:00:00Z"), "/first").site("fresh").build(),
                pageview("v1", at("2024-01-01T10:01:00Z"), "/second").site("fresh").build());
        assertThat(topology.visits("fresh")).isEmpty();

        // When the site arrives and a second passes
        topology.site("fresh", "UTC");
        topology.driver.advanceWallClockTime(java.time.Duration.ofSeconds(2));

        // Then both are counted, in one visit, and nothing went to the bad topic
        assertThat(topology.visits("fresh")).singleElement().satisfies(v -> assertThat(v.events()).hasSize(2));
        assertThat(topology.bad.isEmpty()).isTrue();
    }

    @Test
    void liveBeaconsThatArriveLateAndImportsOfAnyAgeAreCounted() {
        long received = at("2024-01-01T12:00:00Z");
        // Given a live beacon 23 hours old (a tracker's outbox after an outage), one 59 minutes old, and an import from 1995
        topology.send(
                pageview("v1", received - 23 * 3_600_000L, "/late").receivedAt(received).build(),
                pageview("v1", received - 59 * 60_000, "/ok").receivedAt(received).build(),
                pageview("h", at("1995-08-01T06:00:00Z"), "/history").receivedAt(received).ingest(Event.Ingest.IMPORT).build());

        // Then every one is counted: an event answered 202 is never dropped for its age
        assertThat(topology.bad.isEmpty()).isTrue();
        assertThat(topology.visits("example")).extracting(v -> v.events().get(0).page()).containsExactly("/history", "/late", "/ok");
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

    @Test
    void boundsTheTraitsOfAProfileAndCountsWhatDidNotFit() {
        // 150 trait names in three identify events: the first 100 are kept
        for (int batch = 0; batch < 3; batch++) {
            Map<String, String> traits = new java.util.HashMap<>();
            for (int i = batch * 50; i < batch * 50 + 50; i++) {
                traits.put("t" + i, "v");
            }
            topology.send(event(EventType.IDENTIFY, "v1", at("2024-01-01T10:00:00Z") + batch * 1000L).traits(traits).build());
        }
        // A kept name still takes new values; long values fit until 16 Ki characters are held
        topology.send(event(EventType.IDENTIFY, "v1", at("2024-01-01T11:00:00Z")).traits(Map.of("t0", "w")).build());
        String big = "x".repeat(1000);
        for (int i = 1; i <= 20; i++) {
            topology.send(event(EventType.IDENTIFY, "v1", at("2024-01-01T12:00:00Z") + i * 1000L).traits(Map.of("t" + i, big)).build());
        }

        VisitorProfile p = topology.profile(EventKeys.of("example", "v1"));
        assertThat(p.traits()).hasSize(VisitorProfile.MAX_TRAITS).containsKeys("t0", "t99").doesNotContainKey("t100");
        assertThat(p.traits()).containsEntry("t0", "w");
        // 390 characters of short traits, then each long value adds 999: 16 fit, 4 do not
        assertThat(p.traits().entrySet().stream().filter(e -> e.getValue().equals(big))).hasSize(16);
        assertThat(p.traits()).containsEntry("t17", "v");
        assertThat(p.traits().entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length()).sum())
                .isLessThanOrEqualTo(VisitorProfile.MAX_TRAIT_CHARS);
        assertThat(p.traitsDropped()).isEqualTo(50 + 4);
    }

    @Test
    void visitsAreTheSameWhateverTheOrderEventsArriveIn() {
        // Given five visitors' page views at random times over two days (gaps around the 30-minute timeout),
        // sent in a random order with an erasure of one visitor in the middle
        java.util.Random random = new java.util.Random(7);
        long t0 = at("2024-01-01T00:00:00Z");
        java.util.Map<String, List<Long>> times = new java.util.TreeMap<>();
        List<io.vantage.model.Event> events = new java.util.ArrayList<>();
        for (String v : List.of("a", "b", "c", "d", "e")) {
            long t = t0 + random.nextInt(3_600_000);
            List<Long> ts = new java.util.ArrayList<>();
            for (int i = 0; i < 60; i++) {
                t += random.nextInt(4) == 0 ? 25 * 60_000L + random.nextInt(15 * 60_000) : random.nextInt(10 * 60_000);
                ts.add(t);
                events.add(pageview(v, t, "/p" + i).receivedAt(at("2024-01-03T00:00:00Z") + events.size()).build());
            }
            times.put(v, ts);
        }
        java.util.Collections.shuffle(events, random);
        topology.send(events.subList(0, 150).toArray(io.vantage.model.Event[]::new));
        topology.erase("example", "c");
        topology.send(events.subList(150, events.size()).stream().filter(e -> !e.visitorId().equals("c"))
                .toArray(io.vantage.model.Event[]::new));
        times.remove("c");

        // Then each remaining visitor's visits are those of their events sorted by time, split at gaps over 30 minutes
        java.util.Map<Long, List<List<Long>>> expected = new java.util.HashMap<>();
        times.forEach((v, ts) -> {
            List<Long> sorted = ts.stream().sorted().toList();
            List<List<Long>> visits = new java.util.ArrayList<>();
            List<Long> current = new java.util.ArrayList<>();
            for (long t : sorted) {
                if (!current.isEmpty() && t - current.get(current.size() - 1) > 30 * 60_000L) {
                    visits.add(current);
                    current = new java.util.ArrayList<>();
                }
                current.add(t);
            }
            visits.add(current);
            expected.put(VisitorHash.of(v), visits);
        });
        java.util.Map<Long, List<List<Long>>> actual = new java.util.HashMap<>();
        for (VisitRecord r : topology.visits("example")) {
            actual.computeIfAbsent(r.visitor(), k -> new java.util.ArrayList<>()).add(r.events().stream().map(VisitEvent::ts).toList());
        }
        actual.values().forEach(l -> l.sort(java.util.Comparator.comparing(x -> x.get(0))));
        assertThat(actual).isEqualTo(expected);
        times.forEach((v, ts) -> assertThat(topology.profile(io.vantage.model.EventKeys.of("example", v)).visits())
                .as(v).isEqualTo(expected.get(VisitorHash.of(v)).size()));
        assertThat(topology.count(Stores.VISITOR_SESSIONS)).isEqualTo(expected.values().stream().mapToInt(List::size).sum());
    }
}
