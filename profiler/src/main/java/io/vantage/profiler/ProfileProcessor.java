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
 * Keeps the visitor-profile store up to date and passes each record on with the profile before and
 * after it. Generic over the record value so the processor's enriched events can flow through it.
 */
public final class ProfileProcessor<V> implements Processor<String, V, String, Profiled<V>> {
    private final Function<V, Event> eventOf;
    private ProcessorContext<String, Profiled<V>> context;
    private KeyValueStore<String, VisitorProfile> profiles;

    public ProfileProcessor(Function<V, Event> eventOf) {
        this.eventOf = eventOf;
    }

    @Override
    public void init(ProcessorContext<String, Profiled<V>> context) {
        this.context = context;
        this.profiles = context.getStateStore(Stores.PROFILES);
    }

    @Override
    public void process(Record<String, V> record) {
        Event event = eventOf.apply(record.value());
        String key = EventKeys.of(event.site(), event.visitorId());
        VisitorProfile before = profiles.get(key);
        if (before == null) {
            before = VisitorProfile.empty(event.site(), event.visitorId());
        }
        VisitorProfile after = before.with(event);
        profiles.put(key, after);
        context.forward(record.withValue(new Profiled<>(record.value(), before, after)));
    }
}
