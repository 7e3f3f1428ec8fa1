package io.vantage.processor;

import io.vantage.model.EventKeys;
import io.vantage.model.Site;
import io.vantage.profiler.VisitorProfile;
import io.vantage.store.StoreKeys;
import io.vantage.store.VisitorHash;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What the visit processor deletes on purpose: one visitor on request (an erasure), and what a
 * site's retention no longer keeps. It deletes visits, the visitor-sessions index and trait rows
 * (the visit processor's stores) and names the profiles to delete, which the profiler, their only
 * writer, then deletes.
 *
 * <p>The index and the visits never disagree, which the visit processor relies on: a visit and
 * its index entry are deleted together, by the same rule. Retention deletes a visit only when it
 * ended before the horizon for certain (its start is earlier than the horizon by the site's
 * longest visit), so a visitor whose profile is kept never loses the latest visit the profile
 * names, and a visitor whose profile is deleted is a new visitor from then on.
 */
final class Forgetting {
    private final KeyValueStore<Bytes, byte[]> visits;
    private final KeyValueStore<Bytes, byte[]> visitorSessions;
    private final KeyValueStore<Bytes, byte[]> traits;
    private final KeyValueStore<String, VisitorProfile> profiles;
    private final ToLongFunction<String> longestVisit;
    private final Consumer<Bytes> forget;
    private final BiConsumer<String, Long> changed;

    /**
     * @param longestVisit the site's longest visit in this partition, -1 when it has none
     * @param forget       called with each deleted visit's key (the processor's decoded copies)
     * @param changed      called with the site and start of each deleted visit (the hour's version)
     */
    Forgetting(KeyValueStore<Bytes, byte[]> visits, KeyValueStore<Bytes, byte[]> visitorSessions,
               KeyValueStore<Bytes, byte[]> traits, KeyValueStore<String, VisitorProfile> profiles,
               ToLongFunction<String> longestVisit, Consumer<Bytes> forget, BiConsumer<String, Long> changed) {
        this.visits = visits;
        this.visitorSessions = visitorSessions;
        this.traits = traits;
        this.profiles = profiles;
        this.longestVisit = longestVisit;
        this.forget = forget;
        this.changed = changed;
    }

    /** Deletes every visit and trait row of the visitor; returns how many visits were deleted. */
    int erase(String site, String visitorId) {
        long visitor = VisitorHash.of(visitorId);
        List<Bytes> index = new ArrayList<>();
        Bytes[] range = StoreKeys.visitorSessions(site, visitorId, 0, Long.MAX_VALUE);
        try (KeyValueIterator<Bytes, byte[]> it = visitorSessions.range(range[0], range[1])) {
            while (it.hasNext()) {
                index.add(it.next().key);
            }
        }
        for (Bytes entry : index) {
            long start = StoreKeys.visitorSessionStart(entry);
            deleteVisit(site, start, StoreKeys.visit(site, start, visitor));
            visitorSessions.delete(entry);
        }
        VisitorProfile profile = profiles.get(EventKeys.of(site, visitorId));
        if (profile != null) {
            for (String name : profile.traits().keySet()) {
                traits.delete(StoreKeys.trait(site, name, visitor));
            }
        }
        return index.size();
    }

    /**
     * Applies the site's retention at {@code now}: deletes the visits (and their index entries)
     * that ended before the horizon, and the trait rows of visitors last seen before it. Returns
     * the event keys of those visitors, whose profiles the profiler is to delete.
     */
    List<String> sweep(Site site, long now) {
        long horizon = site.retainedFrom(now);
        if (horizon == Long.MIN_VALUE) {
            return List.of();
        }
        // Whole hours whose visits all ended before the horizon.
        long beforeHour = Math.floorDiv(horizon - Math.max(0, longestVisit.applyAsLong(site.id())), StoreKeys.HOUR_MS);
        if (beforeHour > 0) {
            List<KeyValue<Bytes, Long>> old = new ArrayList<>();
            Bytes[] range = StoreKeys.visitHours(site.id(), 0, beforeHour - 1);
            try (KeyValueIterator<Bytes, byte[]> it = visits.range(range[0], range[1])) {
                while (it.hasNext()) {
                    Bytes key = it.next().key;
                    old.add(KeyValue.pair(key, StoreKeys.visitStart(key)));
                }
            }
            for (KeyValue<Bytes, Long> kv : old) {
                deleteVisit(site.id(), kv.value, kv.key);
            }
            List<Bytes> entries = new ArrayList<>();
            Bytes[] sessions = StoreKeys.siteSessions(site.id());
            try (KeyValueIterator<Bytes, byte[]> it = visitorSessions.range(sessions[0], sessions[1])) {
                while (it.hasNext()) {
                    Bytes key = it.next().key;
                    if (StoreKeys.visitorSessionStart(key) < beforeHour * StoreKeys.HOUR_MS) {
                        entries.add(key);
                    }
                }
            }
            entries.forEach(visitorSessions::delete);
        }
        List<String> gone = new ArrayList<>();
        // Profile keys are "site\0visitor": "site\1" bounds them (no key holds it).
        try (KeyValueIterator<String, VisitorProfile> it = profiles.range(site.id() + '\u0000', site.id() + '\u0001')) {
            while (it.hasNext()) {
                KeyValue<String, VisitorProfile> kv = it.next();
                if (lastActive(kv.value) < horizon) {
                    gone.add(kv.key);
                    long visitor = VisitorHash.of(kv.value.visitorId());
                    for (String name : kv.value.traits().keySet()) {
                        traits.delete(StoreKeys.trait(site.id(), name, visitor));
                    }
                }
            }
        }
        return gone;
    }

    /** The latest time the profile knows of the visitor: an event, or a trait set by {@code identify}. */
    private static long lastActive(VisitorProfile p) {
        long last = p.lastSeen();
        for (long t : p.traitTimes().values()) {
            last = Math.max(last, t);
        }
        return last;
    }

    private void deleteVisit(String site, long start, Bytes key) {
        visits.delete(key);
        forget.accept(key);
        changed.accept(site, start);
    }
}
