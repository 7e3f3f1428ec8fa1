package io.vantage.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.model.EventType;
import io.vantage.model.codec.RecordWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VisitRecordTest {
    private static final VisitFacts FACTS = new VisitFacts("Google", "google.com", null, null, null, "DE", "Firefox", "Linux", "desktop");

    private static VisitEvent page(long ts, String path) {
        return new VisitEvent(ts, EventType.PAGEVIEW, path, null, Map.of());
    }

    @Test
    void whetherAVisitConvertsIsKeptAsItGrowsAndAskedAgainForOtherGoals() {
        List<String> goals = List.of("signup");
        VisitRecord v = VisitRecord.of(7L, FACTS, page(10_000, "/a"));
        assertThat(v.converts(goals)).isFalse();
        v = v.with(page(11_000, "/b"), FACTS).with(new VisitEvent(12_000, EventType.CUSTOM, "/b", "download", Map.of()), FACTS);
        assertThat(v.converts(goals)).as("an event that is no goal").isFalse();
        VisitRecord early = v.with(new VisitEvent(5_000, EventType.CUSTOM, "/a", "signup", Map.of()), FACTS);
        assertThat(early.converts(goals)).as("a goal received late, inserted first").isTrue();
        VisitRecord later = early.with(page(13_000, "/c"), FACTS).withFirstVisit(true);
        assertThat(later.converts(goals)).isTrue();
        assertThat(later.converts(List.of("download"))).as("another site's goals (another list)").isTrue();
        assertThat(later.converts(List.of("buy"))).isFalse();
        assertThat(v.with(new VisitEvent(14_000, EventType.FORM_SUBMIT, "/b", null, Map.of()), FACTS).converts(List.of("buy")))
                .as("a form sent converts for any goals").isTrue();
        assertThat(VisitRecord.decode(later.encode(), 5_000).converts(goals)).as("read back").isTrue();
    }

    @Test
    void aVisitGrownAtItsEndEncodesAsIfWrittenAtOnce() {
        // Given a visit that grows one event at a time, encoded after each (as the processor does)
        VisitRecord v = VisitRecord.of(7L, FACTS, page(1_000, "/a"));
        List<VisitRecord> versions = new ArrayList<>(List.of(v));
        List<VisitEvent> all = new ArrayList<>(v.events());
        for (int i = 1; i < 50; i++) {
            v.encode();
            VisitEvent e = i % 7 == 0 ? new VisitEvent(1_000 + i * 1_000L, EventType.CUSTOM, "/a", "signup", Map.of("plan", "p" + i))
                    : page(1_000 + i * 1_000L, "/p" + (i % 5));
            v = v.with(e, FACTS);
            all.add(e);
            versions.add(v);
        }
        v = v.withFirstVisit(true);

        // Then its bytes are those of the same visit encoded at once, and they decode to it
        assertThat(v.encode()).isEqualTo(new VisitRecord(7L, true, FACTS, all).encode());
        VisitRecord read = VisitRecord.decode(v.encode(), 1_000);
        assertThat(read.events()).isEqualTo(all);
        assertThat(read.facts()).isEqualTo(FACTS);
        assertThat(read.firstVisit()).isTrue();
        // And every earlier version still holds, and encodes, only its own events
        for (int i = 0; i < versions.size(); i++) {
            VisitRecord older = versions.get(i);
            assertThat(older.events()).hasSize(i + 1);
            assertThat(VisitRecord.decode(older.encode(), 1_000).events()).isEqualTo(all.subList(0, i + 1));
        }
    }

    @Test
    void anEarlierVersionThatGrowsAgainForksInsteadOfChangingTheNewer() {
        VisitRecord base = VisitRecord.of(1L, FACTS, page(1_000, "/a"));
        base.encode();
        VisitRecord newer = base.with(page(2_000, "/b"), FACTS);
        VisitRecord fork = base.with(page(3_000, "/c"), FACTS);

        assertThat(newer.events()).extracting(VisitEvent::page).containsExactly("/a", "/b");
        assertThat(fork.events()).extracting(VisitEvent::page).containsExactly("/a", "/c");
        assertThat(VisitRecord.decode(fork.encode(), 1_000).events()).extracting(VisitEvent::page).containsExactly("/a", "/c");
        assertThat(VisitRecord.decode(newer.encode(), 1_000).events()).extracting(VisitEvent::page).containsExactly("/a", "/b");
    }

    @Test
    void readsRecordsOfFormatVersionOne() {
        // Version 1: the event count after the facts
        RecordWriter w = new RecordWriter(64).u8(1).i64(9L).u8(0).varint(500);
        FACTS.writeTo(w);
        w.varint(2).varint(0).u8(EventType.PAGEVIEW.ordinal()).ref("/a").ref(null).varint(0)
                .varint(500).u8(EventType.PAGEVIEW.ordinal()).ref("/a").ref(null).varint(0);

        VisitRecord v = VisitRecord.decode(w.toBytes(), 10_000);

        assertThat(v.events()).containsExactly(page(10_000, "/a"), page(10_500, "/a"));
        assertThat(v.facts()).isEqualTo(FACTS);
        assertThat(VisitRecord.view(w.toBytes(), 10_000).end()).isEqualTo(10_500);
    }

    @Test
    void idsAreKeptWithTheirEventsAndFoundInVisitsOfAnyLength() {
        // Given a visit grown to 100 events one at a time, every third without an id, encoded after each
        VisitRecord v = VisitRecord.of(7L, FACTS, new VisitEvent(1_000, EventType.PAGEVIEW, "/", null, Map.of(), 100));
        List<VisitRecord> versions = new ArrayList<>(List.of(v));
        for (int i = 1; i < 100; i++) {
            v.encode();
            int j = i - 1;
            if (j == 0 || j % 3 != 0) {
                // asked as it grows: the index of a long visit is built once, then kept up by the appends
                assertThat(v.holdsId(100 + j)).as("the id just appended, %d", 100 + j).isTrue();
            }
            v = v.with(new VisitEvent(1_000 + i * 1_000L, EventType.PAGEVIEW, "/p" + i, null, Map.of(), i % 3 == 0 ? 0 : 100 + i), FACTS);
            versions.add(v);
        }

        // Then the newest holds each id it was given, and no other, also read back from its bytes
        for (VisitRecord r : List.of(v, VisitRecord.decode(v.encode(), 1_000))) {
            assertThat(r.idsUnknown()).isFalse();
            for (int i = 0; i < 100; i++) {
                assertThat(r.holdsId(100 + i)).as("id %d", 100 + i).isEqualTo(i == 0 || i % 3 != 0);
            }
            assertThat(r.holdsId(99)).isFalse();
            assertThat(r.holdsId(0)).as("0 is no id").isFalse();
        }
        assertThat(VisitRecord.decode(v.encode(), 1_000).events()).isEqualTo(v.events());
        // And an earlier version of the chain does not hold the ids of events appended after it
        VisitRecord half = versions.get(49);
        assertThat(half.holdsId(149)).isTrue();
        assertThat(half.holdsId(152)).isFalse();
        // Nor does a fork of it hold those of the newer branch
        VisitRecord fork = half.with(new VisitEvent(60_000, EventType.PAGEVIEW, "/fork", null, Map.of(), 999), FACTS);
        assertThat(fork.holdsId(999)).isTrue();
        assertThat(fork.holdsId(152)).isFalse();
        assertThat(v.holdsId(999)).isFalse();
        // And a twin of the newest (the first-visit flag set) that appends keeps the shared index up to
        // date for itself, while the newest, no longer at the end of the list, forks when it grows
        VisitRecord twin = v.withFirstVisit(true);
        VisitRecord twinGrown = twin.with(new VisitEvent(200_000, EventType.PAGEVIEW, "/t", null, Map.of(), 500), FACTS);
        assertThat(twinGrown.holdsId(500)).isTrue();
        assertThat(twinGrown.holdsId(101)).isTrue();
        assertThat(v.holdsId(500)).as("appended after it").isFalse();
        VisitRecord other = v.with(new VisitEvent(200_000, EventType.PAGEVIEW, "/o", null, Map.of(), 600), FACTS);
        assertThat(other.holdsId(600)).isTrue();
        assertThat(other.holdsId(500)).isFalse();
        assertThat(twinGrown.holdsId(600)).isFalse();
    }

    @Test
    void aRowOfVersionTwoHasUnknownIdsAndSaysSoAfterItGrows() {
        VisitRecord v = VisitRecord.of(7L, FACTS, page(1_000, "/a")).with(page(2_000, "/b"), FACTS);
        byte[] bytes = v.encode();
        assertThat(bytes[0]).isEqualTo((byte) VisitRecord.VERSION);
        assertThat(VisitRecord.decode(bytes, 1_000).idsUnknown()).isFalse();
        bytes[0] = 2; // version 2 laid its events out as version 3 does those without an id

        VisitRecord old = VisitRecord.decode(bytes, 1_000);
        assertThat(old.idsUnknown()).isTrue();
        assertThat(old.events()).isEqualTo(v.events());
        VisitRecord grown = old.with(new VisitEvent(3_000, EventType.PAGEVIEW, "/c", null, Map.of(), 42), FACTS);
        VisitRecord read = VisitRecord.decode(grown.encode(), 1_000);
        assertThat(read.idsUnknown()).isTrue();
        assertThat(read.holdsId(42)).isTrue();
        assertThat(read.withFirstVisit(true).idsUnknown()).isTrue();
    }
}
