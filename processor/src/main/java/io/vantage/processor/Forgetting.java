package io.vantage.processor;

import io.vantage.model.EventKeys;
import io.vantage.model.Site;
import io.vantage.profiler.VisitorProfile;
import io.vantage.store.StoreKeys;
import io.vantage.store.VisitorHash;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>Between two steps of a sweep the task processes events: a visit it deleted is one no event
 * the site still counts can join (it ended more than the session timeout before the horizon), so
 * the half-swept index is never read for it.
 */
final class Forgetting {
    private final KeyValueStore<Bytes, byte[]> visits;
    private final KeyValueStore<Bytes, byte[]> visitorSessions;
    private final KeyValueStore<Bytes, byte[]> traits;
    private final KeyValueStore<String, VisitorProfile> profiles;
    private final ToLongFunction<String> longestVisit;
    private final Consumer<Bytes> deleted;

    /**
     * @param longestVisit the site's longest visit in this partition, -1 when it has none
     * @param deleted      called with each deleted visit's key (the processor's decoded copies, the hour's version)
     */
    Forgetting(KeyValueStore<Bytes, byte[]> visits, KeyValueStore<Bytes, byte[]> visitorSessions,
               KeyValueStore<Bytes, byte[]> traits, KeyValueStore<String, VisitorProfile> profiles,
               ToLongFunction<String> longestVisit, Consumer<Bytes> deleted) {
        this.visits = visits;
        this.visitorSessions = visitorSessions;
        this.traits = traits;
        this.profiles = profiles;
        this.longestVisit = longestVisit;
        this.deleted = deleted;
    }

    /** Deletes every visit and trait row of the visitor; returns how many visits were deleted. */
    int erase(String site, String visitorId) {
        long visitor = VisitorHash.of(visitorId);
        List<Bytes> index = new ArrayList<>();
        Bytes[] range = StoreKeys.visitorSessions(site, visitorId, 0, Long.MAX_VALUE);
        try (KeyValueIterator<Bytes, byte[]> it = visitorSessions.range(range[0], range[1])) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                // Only this visitor's keys ("alice" must not reach "alice\0x"'s).
                if (StoreKeys.visitorSessionVisitor(site, key).equals(visitorId)) {
                    index.add(key);
                }
            }
        }
        for (Bytes entry : index) {
            long start = StoreKeys.visitorSessionStart(entry);
            deleteVisit(StoreKeys.visit(site, start, visitor));
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

    /** What one step of a site's sweep did: the profiles to delete, the work it took, and whether the sweep is complete. */
    record Step(List<String> gone, int work, boolean finished) {
    }

    /**
     * Where a site's sweep stands between steps: the hour before which visits go (fixed for the
     * whole sweep, so its phases agree), the phase, and the last key read in it.
     */
    private static final class Progress {
        final long beforeHour;
        final long horizon;
        int phase;
        Bytes sessionCursor;
        String profileCursor;

        Progress(long beforeHour, long horizon) {
            this.beforeHour = beforeHour;
            this.horizon = horizon;
        }
    }

    private final java.util.Map<String, Progress> progress = new java.util.HashMap<>();

    /**
     * Applies the site's retention at {@code now}, doing at most about {@code budget} rows of work
     * (rows read or deleted), so one punctuation never holds the task or its transaction for long;
     * the next step goes on where this one stopped. In order: the visits that ended before the
     * horizon by more than the session timeout (no event the site still counts can join them),
     * then their index entries, then the trait rows of visitors last active before the horizon,
     * whose event keys are returned for the profiler to delete their profiles.
     */
    Step sweep(Site site, long now, int budget) {
        long horizon = site.retainedFrom(now);
        if (horizon == Long.MIN_VALUE) {
            progress.remove(site.id());
            return new Step(List.of(), 0, true);
        }
        Progress p = progress.computeIfAbsent(site.id(), id -> new Progress(Math.floorDiv(
                horizon - Math.max(0, longestVisit.applyAsLong(id)) - site.sessionTimeoutMs(), StoreKeys.HOUR_MS), horizon));
        int work = 0;
        List<String> gone = new ArrayList<>();
        if (p.phase == 0) {
            // Visits, hour by hour from the oldest: read at most the budget, delete what was read.
            List<Bytes> old = new ArrayList<>();
            if (p.beforeHour > 0) {
                Bytes[] range = StoreKeys.visitHours(site.id(), 0, p.beforeHour - 1);
                try (KeyValueIterator<Bytes, byte[]> it = visits.range(range[0], range[1])) {
                    while (it.hasNext() && old.size() < budget) {
                        old.add(it.next().key);
                    }
                }
            }
            for (Bytes key : old) {
                deleteVisit(key);
            }
            work += old.size();
            if (old.size() < budget) {
                p.phase = 1;
            }
        }
        if (p.phase == 1 && work < budget) {
            Bytes[] sessions = StoreKeys.siteSessions(site.id());
            List<Bytes> entries = new ArrayList<>();
            Bytes from = p.sessionCursor == null ? sessions[0] : p.sessionCursor;
            boolean more = false;
            try (KeyValueIterator<Bytes, byte[]> it = visitorSessions.range(from, sessions[1])) {
                while (it.hasNext()) {
                    if (work >= budget) {
                        more = true;
                        break;
                    }
                    Bytes key = it.next().key;
                    work++;
                    p.sessionCursor = key;
                    if (StoreKeys.visitorSessionStart(key) < p.beforeHour * StoreKeys.HOUR_MS) {
                        entries.add(key);
                    }
                }
            }
            entries.forEach(visitorSessions::delete);
            if (!more) {
                p.phase = 2;
            }
        }
        if (p.phase == 2 && work < budget) {
            // Profile keys are "site\0visitor": "site\1" bounds them (no key holds it).
            String from = p.profileCursor == null ? site.id() + '\u0000' : p.profileCursor;
            boolean more = false;
            try (KeyValueIterator<String, VisitorProfile> it = profiles.range(from, site.id() + '\u0001')) {
                while (it.hasNext()) {
                    if (work >= budget) {
                        more = true;
                        break;
                    }
                    KeyValue<String, VisitorProfile> kv = it.next();
                    work++;
                    p.profileCursor = kv.key;
                    if (lastActive(kv.value) < p.horizon) {
                        gone.add(kv.key);
                        long visitor = VisitorHash.of(kv.value.visitorId());
                        for (String name : kv.value.traits().keySet()) {
                            traits.delete(StoreKeys.trait(site.id(), name, visitor));
                        }
                    }
                }
            }
            if (!more) {
                progress.remove(site.id());
                return new Step(gone, work, true);
            }
        }
        return new Step(gone, work, false);
    }

    /** The latest time the profile knows of the visitor: an event, or a trait set by {@code identify}. */
    private static long lastActive(VisitorProfile p) {
        long last = p.lastSeen();
        for (long t : p.traitTimes().values()) {
            last = Math.max(last, t);
        }
        return last;
    }

    private void deleteVisit(Bytes key) {
        visits.delete(key);
        deleted.accept(key);
    }
}
