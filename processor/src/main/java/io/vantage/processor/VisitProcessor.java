package io.vantage.processor;

import io.vantage.store.ProcessingListener;
import io.vantage.model.Event;
import io.vantage.model.EventKeys;
import io.vantage.model.EventType;
import io.vantage.model.Site;
import io.vantage.model.Stores;
import io.vantage.processor.enrich.EnrichedEvent;
import io.vantage.profiler.RecentProfiles;
import io.vantage.profiler.VisitChange;
import io.vantage.profiler.VisitorProfile;
import io.vantage.store.StoreKeys;
import io.vantage.store.VisitEvent;
import io.vantage.store.VisitFacts;
import io.vantage.store.VisitRecord;
import io.vantage.store.VisitorHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Sessionizes each counted event into its visit: one read and one write of the visit's row per
 * event (the old design read-modified-wrote about twenty rollup rows). An event joins the visit
 * it falls within the site's timeout of, starts a new one, or bridges two, which are then merged
 * into one row and the other deleted. In-order traffic finds its visit from the profile's latest
 * visit without a scan; an earlier event scans the visitor's visits by start.
 *
 * <p>The visitor's profile is read here (for its latest visit and first event) and written by the
 * profiler downstream, its only writer. Also kept here: the first-visit flag (a visitor is new in the period holding its first
 * visit's start), the trait index, and the longest visit per site.
 */
final class VisitProcessor implements Processor<String, Object, String, VisitProcessor.Counted> {
    private static final byte[] PRESENT = {1};
    private final ProcessingListener listener;
    private final java.time.Duration retentionSweep;
    private Forgetting forgetting;
    private KeyValueStore<String, Site> sites;
    // Erased visitors (event key -> when the erasure was asked), as in the erased-visitors store,
    // which is small (erasures are rare and kept for days): events received before that time are
    // not counted, whichever topic brought them first.
    private KeyValueStore<String, Long> erased;
    private final java.util.Map<String, Long> erasedAt = new java.util.HashMap<>();
    /** An hourly sweep is due or under way; it goes on in steps of at most {@code sweepRows} rows, one a second. */
    private boolean sweepDue;
    private final int sweepRows;
    /** The received days of ids the event-ids store keeps (see DedupProcessor). */
    private final int dedupDays;
    private KeyValueStore<Bytes, byte[]> eventIds;
    private KeyValueStore<Bytes, byte[]> visits;
    private KeyValueStore<Bytes, byte[]> visitorSessions;
    private KeyValueStore<Bytes, byte[]> traits;
    private KeyValueStore<Bytes, byte[]> spans;
    private KeyValueStore<Bytes, byte[]> hours;
    private KeyValueStore<Bytes, byte[]> changes;
    private long version;
    // The longest visit per site as last written: the store is read once per site, written when it grows.
    private final java.util.Map<String, Long> spanOf = new java.util.HashMap<>();
    // The visits last written by this task, decoded: this processor is their only writer, so the
    // copy is current, and a busy visit is not decoded again for each of its events. Emptied at
    // every init (a new or revived task).
    private final java.util.LinkedHashMap<Bytes, VisitRecord> recent = new java.util.LinkedHashMap<>(4096, 0.75f, true);
    private long recentEvents;
    /** At most this many decoded events per task are kept (a long visit weighs its events). */
    private static final long RECENT_EVENTS = 100_000;
    private KeyValueStore<String, VisitorProfile> profiles;
    /** The profiles the profiler wrote last in this life of the task; read before the store (see RecentProfiles). */
    private RecentProfiles recentProfiles;
    /** Profiles kept decoded per task: a few thousand visitors are active at once on a partition. */
    private static final int RECENT_PROFILES = 8_192;
    /** The visit starts of the visitors seen lately (see VisitStarts), for events earlier than their visitor's latest visit. */
    private final VisitStarts visitStarts = new VisitStarts(16_384);
    private ProcessorContext<String, Counted> context;

    /**
     * An event on its way to the profile, with the profile as it stood before it (read here; empty
     * for a visitor not seen before) and what the event did to the visitor's visits (null: none);
     * or, with only {@code erased} set, the key of a profile to delete (an erasure or retention);
     * with the task's {@link RecentProfiles}, which the profiler keeps up to date with its writes.
     */
    record Counted(EnrichedEvent enriched, VisitorProfile before, VisitChange change, String erased, RecentProfiles recent) {
        Counted(EnrichedEvent enriched, VisitorProfile before, VisitChange change, RecentProfiles recent) {
            this(enriched, before, change, null, recent);
        }

        static Counted erasing(String profileKey, RecentProfiles recent) {
            return new Counted(null, null, null, profileKey, recent);
        }
    }

    VisitProcessor(ProcessingListener listener, java.time.Duration retentionSweep, int sweepRows, int dedupDays) {
        this.listener = listener;
        this.dedupDays = dedupDays;
        this.retentionSweep = retentionSweep;
        this.sweepRows = sweepRows;
    }

    @Override
    public void init(ProcessorContext<String, Counted> context) {
        this.context = context;
        visits = context.getStateStore(Stores.VISITS);
        visitorSessions = context.getStateStore(Stores.VISITOR_SESSIONS);
        traits = context.getStateStore(Stores.VISITOR_TRAITS);
        spans = context.getStateStore(Stores.SITE_SPANS);
        hours = context.getStateStore(Stores.VISIT_HOURS);
        changes = context.getStateStore(Stores.VISIT_CHANGES);
        eventIds = context.getStateStore(Stores.EVENT_IDS);
        // A revived task (after an aborted transaction) calls init again: what was kept in memory may be rolled back.
        recent.clear();
        recentEvents = 0;
        recentProfiles = new RecentProfiles(RECENT_PROFILES);
        visitStarts.clear();
        spanOf.clear();
        // A new epoch at every (re)start of the task: versions of an earlier life never match.
        version = new java.security.SecureRandom().nextLong();
        hours.put(StoreKeys.EPOCH, StoreKeys.longValue(version));
        profiles = context.getStateStore(Stores.PROFILES);
        sites = context.getStateStore(Stores.SITES);
        forgetting = new Forgetting(visits, visitorSessions, traits, profiles, this::knownSpan, key -> {
            forget(key);
            changed(key, null);
        });
        erased = context.getStateStore(Stores.ERASED_VISITORS);
        erasedAt.clear();
        try (KeyValueIterator<String, Long> it = erased.all()) {
            it.forEachRemaining(kv -> erasedAt.put(kv.key, kv.value));
        }
        sweepDue = true;
        context.schedule(retentionSweep, org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME, now -> sweepDue = true);
        context.schedule(java.time.Duration.ofSeconds(1), org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME, this::sweep);
    }

    @Override
    public void process(Record<String, Object> record) {
        if (record.value() instanceof io.vantage.model.Erasure erasure) {
            long at = Math.max(erasure.requestedAt(), erasedAt.getOrDefault(erasure.key(), Long.MIN_VALUE));
            erased.put(erasure.key(), at);
            erasedAt.put(erasure.key(), at);
            forgetting.erase(erasure.site(), erasure.visitorId());
            visitStarts.clear();
            context.forward(record.withValue(Counted.erasing(erasure.key(), recentProfiles)));
            listener.onErased();
            return;
        }
        EnrichedEvent enriched = (EnrichedEvent) record.value();
        Event event = enriched.event();
        Site site = enriched.site();
        if (!erasedAt.isEmpty() && erasedBefore(event, erasedAt.getOrDefault(EventKeys.of(site.id(), event.visitorId()), Long.MIN_VALUE))) {
            listener.onDropped("erased");
            return;
        }
        if (event.ts() < site.retainedFrom(context.currentSystemTimeMs())) {
            // Retention would delete it at the next sweep: not counted, and said so.
            listener.onDropped("beyond_retention");
            return;
        }
        long visitor = VisitorHash.of(event.visitorId());
        // Read only: the profiler writes the profile downstream, with this event and its visit change.
        String profileKey = EventKeys.of(site.id(), event.visitorId());
        VisitorProfile stored = recentProfiles.get(profileKey);
        if (stored == null) {
            stored = profiles.get(profileKey);
        }
        VisitorProfile before = stored == null ? VisitorProfile.empty(site.id(), event.visitorId()) : stored;
        if (!event.type().countsAsEvent()) {
            indexTraits(site.id(), visitor, before, before.with(event));
            context.forward(record.withValue(new Counted(enriched, before, null, recentProfiles)));
            return;
        }
        long ts = event.ts();
        long gap = site.sessionTimeoutMs();
        List<Long> touched = touching(site.id(), event.visitorId(), profileKey, visitor, ts, gap, before);
        List<VisitRecord> joined = new ArrayList<>(touched.size());
        for (long start : touched) {
            joined.add(read(site.id(), start, visitor));
        }
        long id = VisitEvent.idOf(event);
        if (repeats(joined, id, () -> DedupProcessor.remembered(eventIds, event, dedupDays))) {
            listener.onDropped("duplicate");
            return;
        }
        VisitorProfile after = before.with(event);
        indexTraits(site.id(), visitor, before, after);
        VisitEvent ve = new VisitEvent(ts, event.type(), event.path(), event.type() == EventType.CUSTOM ? event.name() : null,
                event.type() == EventType.CUSTOM ? event.props() : null, id);
        VisitFacts facts = new VisitFacts(enriched.source(), enriched.referrer(), enriched.utmSource(), enriched.utmMedium(),
                enriched.utmCampaign(), enriched.country(), enriched.browser(), enriched.os(), enriched.device());
        VisitRecord merged = null;
        int convertedBefore = 0;
        for (VisitRecord v : joined) {
            convertedBefore += converted(v, site) ? 1 : 0;
            merged = merged == null ? v : merged.merge(v);
        }
        merged = merged == null ? VisitRecord.of(visitor, facts, ve) : merged.with(ve, facts);
        // The visitor's first event ever is this visit's start: it is their first visit.
        merged = merged.withFirstVisit(after.firstSeen() == merged.start());
        if (before.events() > 0 && after.firstSeen() < before.firstSeen() && !touched.contains(before.firstSeen())) {
            unflagFirstVisit(site.id(), visitor, before.firstSeen());
        }
        List<Long> removed = new ArrayList<>(touched.size());
        for (long start : touched) {
            if (start != merged.start()) {
                removed.add(start);
                Bytes old = StoreKeys.visit(site.id(), start, visitor);
                visits.delete(old);
                forget(old);
                changed(old, null);
                visitorSessions.delete(StoreKeys.visitorSession(site.id(), event.visitorId(), start));
            }
        }
        Bytes key = StoreKeys.visit(site.id(), merged.start(), visitor);
        byte[] encoded = merged.encode();
        visits.put(key, encoded);
        remember(key, merged);
        changed(key, encoded);
        boolean started = !touched.contains(merged.start());
        if (started) {
            visitorSessions.put(StoreKeys.visitorSession(site.id(), event.visitorId(), merged.start()), PRESENT);
        }
        if (started || !removed.isEmpty()) {
            visitStarts.update(profileKey, removed, started ? merged.start() : Long.MIN_VALUE);
        }
        widenSpan(site.id(), merged.end() - merged.start());
        context.forward(record.withValue(new Counted(enriched, before, new VisitChange(1 - touched.size(),
                (converted(merged, site) ? 1 : 0) - convertedBefore, merged.start(), merged.end(), firstPage(merged), lastPage(merged)),
                recentProfiles)));
        listener.onCounted(event.receivedAt(), event.ingest() == Event.Ingest.LIVE);
    }

    /**
     * Whether an event of a visitor erased at {@code erasedAt} belongs to what was erased: received
     * before the erasure (a backlog, a rebuild), or a live event that happened before it (a retry of
     * an event counted before the erasure, whose first copy and visit are gone with it, or one a
     * client sent late). An import received later counts: its times are history by definition.
     */
    static boolean erasedBefore(Event event, long erasedAt) {
        return event.receivedAt() <= erasedAt || (event.ingest() == Event.Ingest.LIVE && event.ts() < erasedAt);
    }

    /**
     * Whether the event (its id {@code id}, 0 when it has none a repeat could share) was counted
     * before, into one of the visits it joins. A repeat carries its first copy's time, corrected by
     * the same {@code sent_at} rule, so it joins the visit that copy was counted into, for as long
     * as that visit is kept. When a visit holds events stored before visits kept ids, the event-ids
     * store those ids were written to ({@code remembered}, see DedupProcessor) is asked.
     */
    static boolean repeats(List<VisitRecord> joined, long id, java.util.function.BooleanSupplier remembered) {
        if (id == 0) {
            return false;
        }
        boolean unknown = false;
        for (VisitRecord v : joined) {
            if (v.holdsId(id)) {
                return true;
            }
            unknown |= v.idsUnknown();
        }
        return unknown && remembered.getAsBoolean();
    }

    /**
     * The starts of the visits an event at {@code ts} joins: none, one, or two it bridges. An event
     * at or after the latest visit's end can only join that one; an earlier one looks at the
     * visitor's visits that start from the site's longest visit before it to the gap after it, among
     * the visitor's starts kept in {@link VisitStarts} (read from the store when not kept, or when
     * their number is not the profile's count of visits).
     */
    private List<Long> touching(String site, String visitorId, String profileKey, long visitor, long ts, long gap, VisitorProfile before) {
        if (before.visits() <= 0) {
            return List.of();
        }
        if (ts >= before.latestVisitEnd()) {
            return ts - before.latestVisitEnd() <= gap ? List.of(before.latestVisitStart()) : List.of();
        }
        long[] starts = visitStarts.get(profileKey);
        if (starts == null || starts.length != before.visits()) {
            // Not kept, or not as many as the profile counts: read every start of the visitor once.
            starts = storedStarts(site, visitorId);
            visitStarts.put(profileKey, starts);
        }
        List<Long> out = new ArrayList<>(2);
        long to = ts + gap;
        for (int i = VisitStarts.firstAtOrAfter(starts, Math.max(0, ts - gap - Math.max(0, knownSpan(site)))); i < starts.length && starts[i] <= to; i++) {
            if (read(site, starts[i], visitor).end() >= ts - gap) {
                out.add(starts[i]);
            }
        }
        return out;
    }

    /** Every visit start of the visitor in the visitor-sessions store, ascending. (A forward scan: the record cache's reverse range showed deleted keys.) */
    private long[] storedStarts(String site, String visitorId) {
        long[] out = new long[8];
        int n = 0;
        Bytes[] range = StoreKeys.visitorSessions(site, visitorId, 0, Long.MAX_VALUE);
        try (KeyValueIterator<Bytes, byte[]> it = visitorSessions.range(range[0], range[1])) {
            while (it.hasNext()) {
                if (n == out.length) {
                    out = java.util.Arrays.copyOf(out, n * 2);
                }
                out[n++] = StoreKeys.visitorSessionStart(it.next().key);
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * One step of the sweep, when one is due: every site's retention applied to this task's stores,
     * at most {@code sweepRows} rows a step; the profiles it retires go to the profiler. Erasure
     * markers older than the erasures topic's retention are dropped.
     */
    private void sweep(long now) {
        if (!sweepDue) {
            return;
        }
        List<Site> all = new ArrayList<>();
        try (KeyValueIterator<String, Site> it = sites.all()) {
            it.forEachRemaining(kv -> all.add(kv.value));
        }
        int budget = sweepRows;
        for (Site site : all) {
            Forgetting.Step step = forgetting.sweep(site, now, budget);
            if (step.work() > 0) {
                // The sweep deleted visits and their index entries behind the kept starts.
                visitStarts.clear();
            }
            for (String profileKey : step.gone()) {
                context.forward(new Record<>(profileKey, Counted.erasing(profileKey, recentProfiles), now));
            }
            budget -= step.work();
            if (!step.finished()) {
                return;
            }
        }
        var expired = erasedAt.entrySet().iterator();
        while (expired.hasNext()) {
            var e = expired.next();
            if (e.getValue() < now - io.vantage.model.Topics.ERASURES_RETENTION_MS) {
                erased.delete(e.getKey());
                expired.remove();
            }
        }
        sweepDue = false;
    }

    /**
     * The visit under {@code key} was written as {@code visit} (null: deleted): its start hour's
     * version changes, and the write is recorded under that version first (a reader that sees the
     * version finds it).
     */
    private void changed(Bytes key, byte[] visit) {
        version++;
        changes.put(StoreKeys.changeSlot(version), StoreKeys.change(version, key, visit));
        hours.put(StoreKeys.visitHourOfVisit(key), StoreKeys.longValue(version));
    }

    /** The site's longest visit as stored, -1 when none is: read once per site, then kept. */
    private long knownSpan(String site) {
        return spanOf.computeIfAbsent(site, s -> {
            byte[] v = spans.get(StoreKeys.span(s));
            return v == null ? -1L : StoreKeys.longOf(v);
        });
    }

    private void remember(Bytes key, VisitRecord v) {
        VisitRecord old = recent.put(key, v);
        recentEvents += v.events().size() - (old == null ? 0 : old.events().size());
        var it = recent.entrySet().iterator();
        while (recentEvents > RECENT_EVENTS && it.hasNext()) {
            recentEvents -= it.next().getValue().events().size();
            it.remove();
        }
    }

    private void forget(Bytes key) {
        VisitRecord old = recent.remove(key);
        if (old != null) {
            recentEvents -= old.events().size();
        }
    }

    /** A visit of the visitor's index; the index and the visits store never disagree. */
    private VisitRecord read(String site, long start, long visitor) {
        VisitRecord v = find(StoreKeys.visit(site, start, visitor), start);
        if (v == null) {
            throw new IllegalStateException("visit index and visits disagree for a visitor of " + site + " at " + start);
        }
        return v;
    }

    /** The visit under {@code key}, decoded once while it is recent; null when there is none. */
    private VisitRecord find(Bytes key, long start) {
        VisitRecord v = recent.get(key);
        if (v == null) {
            byte[] bytes = visits.get(key);
            v = bytes == null ? null : VisitRecord.decode(bytes, start);
        }
        return v;
    }

    private void unflagFirstVisit(String site, long visitor, long start) {
        Bytes key = StoreKeys.visit(site, start, visitor);
        VisitRecord v = find(key, start);
        if (v != null) {
            VisitRecord unflagged = v.withFirstVisit(false);
            byte[] encoded = unflagged.encode();
            visits.put(key, encoded);
            remember(key, unflagged);
            changed(key, encoded);
        }
    }

    private void widenSpan(String site, long span) {
        if (span > knownSpan(site)) {
            spans.put(StoreKeys.span(site), StoreKeys.longValue(span));
            spanOf.put(site, span);
        }
    }

    private void indexTraits(String site, long visitor, VisitorProfile before, VisitorProfile after) {
        if (before.traits().equals(after.traits())) {
            return;
        }
        Set<String> names = new HashSet<>(before.traits().keySet());
        names.addAll(after.traits().keySet());
        for (String name : names) {
            String now = after.traits().get(name);
            if (!Objects.equals(before.traits().get(name), now)) {
                Bytes key = StoreKeys.trait(site, name, visitor);
                if (now == null) {
                    traits.delete(key);
                } else {
                    traits.put(key, now.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static boolean converted(VisitRecord v, Site site) {
        return v.converts(site.goals());
    }

    private static String firstPage(VisitRecord v) {
        for (VisitEvent e : v.events()) {
            if (e.type().isPageview()) {
                return e.page();
            }
        }
        return null;
    }

    private static String lastPage(VisitRecord v) {
        List<VisitEvent> ev = v.events();
        for (int i = ev.size() - 1; i >= 0; i--) {
            if (ev.get(i).type().isPageview()) {
                return ev.get(i).page();
            }
        }
        return null;
    }

}
