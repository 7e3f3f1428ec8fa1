package io.vantage.processor;

import io.vantage.model.Event;
import io.vantage.model.EventKeys;
import io.vantage.model.EventType;
import io.vantage.model.Site;
import io.vantage.model.Stores;
import io.vantage.processor.enrich.EnrichedEvent;
import io.vantage.processor.rollup.Rollup;
import io.vantage.processor.rollup.RollupChanges;
import io.vantage.processor.rollup.VisitorSet;
import io.vantage.processor.session.Session;
import io.vantage.processor.session.SessionStore;
import io.vantage.profiler.Profiled;
import io.vantage.profiler.VisitorProfile;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts each event into the rollups: the event at its time; its session (with the sessions it
 * merges taken back) at the session's start; and the visitor's first visit and traits as sets that
 * move when they change. Rows are partial aggregates of this partition (the visitor's), merged across
 * partitions at query time, so a big site has no hot partition.
 */
final class RollupProcessor implements Processor<String, Profiled<EnrichedEvent>, Void, Void> {
    private final ProcessingListener listener;
    private KeyValueStore<String, Rollup> rollups;
    private KeyValueStore<String, VisitorProfile> profiles;
    private SessionStore sessions;

    RollupProcessor(ProcessingListener listener) {
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        rollups = context.getStateStore(Stores.ROLLUPS);
        profiles = context.getStateStore(Stores.PROFILES);
        sessions = new SessionStore(context.getStateStore(Stores.SESSIONS));
    }

    @Override
    public void process(Record<String, Profiled<EnrichedEvent>> record) {
        EnrichedEvent enriched = record.value().value();
        Event event = enriched.event();
        Site site = enriched.site();
        long visitor = VisitorSet.hash(event.visitorId());
        VisitorProfile before = record.value().before();
        VisitorProfile after = record.value().after();
        RollupChanges changes = new RollupChanges(site.id(), site.zone());

        if (before.firstSeen() != after.firstSeen()) {
            if (before.events() > 0) {
                changes.firstSeen(-1, before.firstSeen(), visitor);
            }
            changes.firstSeen(1, after.firstSeen(), visitor);
        }
        Set<String> traitNames = new HashSet<>(before.traits().keySet());
        traitNames.addAll(after.traits().keySet());
        for (String name : traitNames) {
            String old = before.traits().get(name);
            String now = after.traits().get(name);
            if (!Objects.equals(old, now)) {
                if (old != null) {
                    changes.trait(-1, name, old, visitor);
                }
                if (now != null) {
                    changes.trait(1, name, now, visitor);
                }
            }
        }

        if (event.type().countsAsEvent()) {
            changes.event(event.ts(), event.type().isPageview(), visitor, event.path(), event.type().wire(),
                    event.type() == EventType.CUSTOM ? event.name() : null);
            Session one = Session.of(enriched, isConversion(event, site));
            String visitorKey = EventKeys.of(site.id(), event.visitorId());
            List<Session> touched = sessions.touching(visitorKey, event.ts(), site.sessionTimeoutMs(),
                    before.visits() > 0 ? before.latestVisitEnd() : Long.MIN_VALUE);
            Session merged = one;
            long convertedBefore = 0;
            for (Session s : touched) {
                changes.session(-1, s, visitor);
                merged = merged.merge(s);
                convertedBefore += s.converted() ? 1 : 0;
            }
            changes.session(1, merged, visitor);
            sessions.replace(visitorKey, touched, merged);
            profiles.put(visitorKey, after.withVisits(1 - touched.size(), (merged.converted() ? 1 : 0) - convertedBefore,
                    merged.start(), merged.end(), merged.entryPage(), merged.exitPage()));
            listener.onCounted();
        }
        changes.applyTo(rollups);
    }

    /** metrics.md: a form submit, or a custom event named as one of the site's goals. */
    static boolean isConversion(Event event, Site site) {
        return event.type() == EventType.FORM_SUBMIT || (event.type() == EventType.CUSTOM && site.isGoal(event.name()));
    }
}
