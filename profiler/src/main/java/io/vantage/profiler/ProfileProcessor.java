package io.vantage.profiler;

import io.vantage.model.Event;
import io.vantage.model.EventKeys;
import io.vantage.model.Stores;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The only writer of the visitor-profile store: one read and one write per event, with what the
 * event says and what it did to the visitor's visits. Upstream processors may read profiles; they
 * never write them. Generic over the record value so the processor's records can flow in.
 */
public final class ProfileProcessor<V> implements Processor<String, V, Void, Void> {
    private final Function<V, Event> eventOf;
    private final Function<V, VisitChange> visitOf;
    private final Function<V, VisitorProfile> beforeOf;
    private final Function<V, String> erasedOf;
    private final Function<V, RecentProfiles> recentOf;
    private KeyValueStore<String, VisitorProfile> profiles;

    /**
     * {@code visitOf} gives null for an event that changes no visit (identify); {@code beforeOf} the
     * profile as it stood before the record, as an upstream processor already read it (empty for a
     * visitor not seen before; null: read it here), which saves a second read of the same row.
     * {@code erasedOf} gives the key of a profile to delete (a visitor erased on request, or no
     * longer kept by the site's retention), null for an event. {@code recentOf} gives the task's
     * {@link RecentProfiles} the upstream reader keeps (null: none), told of every write and delete.
     */
    public ProfileProcessor(Function<V, Event> eventOf, Function<V, VisitChange> visitOf, Function<V, VisitorProfile> beforeOf,
                            Function<V, String> erasedOf, Function<V, RecentProfiles> recentOf) {
        this.eventOf = eventOf;
        this.visitOf = visitOf;
        this.beforeOf = beforeOf;
        this.erasedOf = erasedOf;
        this.recentOf = recentOf;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.profiles = context.getStateStore(Stores.PROFILES);
    }

    @Override
    public void process(Record<String, V> record) {
        String erased = erasedOf.apply(record.value());
        RecentProfiles recent = recentOf.apply(record.value());
        if (erased != null) {
            profiles.delete(erased);
            if (recent != null) {
                recent.deleted(erased);
            }
            return;
        }
        Event event = eventOf.apply(record.value());
        String key = EventKeys.of(event.site(), event.visitorId());
        VisitorProfile before = beforeOf.apply(record.value());
        if (before == null) {
            before = profiles.get(key);
        }
        VisitorProfile after = (before == null ? VisitorProfile.empty(event.site(), event.visitorId()) : before).with(event);
        VisitChange v = visitOf.apply(record.value());
        if (v != null) {
            after = after.withVisits(v.visitsDelta(), v.conversionsDelta(), v.visitStart(), v.visitEnd(), v.firstPage(), v.lastPage());
        }
        profiles.put(key, after);
        if (recent != null) {
            recent.written(key, after);
        }
    }
}
