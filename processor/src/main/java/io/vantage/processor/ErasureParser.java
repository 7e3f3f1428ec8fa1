package io.vantage.processor;

import io.vantage.model.BadEvent;
import io.vantage.model.Erasure;
import io.vantage.model.Topics;
import io.vantage.store.ProcessingListener;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Reads erasure requests ({@link Erasure}) for the visit processor. A record that is not one goes
 * to the bad-events topic with the reason, and processing goes on.
 */
final class ErasureParser implements Processor<String, byte[], String, Object> {
    private final ProcessingListener listener;
    private ProcessorContext<String, Object> context;

    ErasureParser(ProcessingListener listener) {
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Erasure erasure;
        try {
            erasure = Topics.ERASURE_SERDE.deserializer().deserialize(Topics.ERASURES, record.value());
        } catch (RuntimeException e) {
            erasure = null;
        }
        if (erasure == null || !erasure.key().equals(record.key())) {
            listener.onBad("invalid_erasure");
            long now = context.currentSystemTimeMs();
            String raw = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
            BadEvent bad = new BadEvent("invalid_erasure", null,
                    "not an erasure of " + Topics.ERASURES + " keyed by its site and visitor", raw, null, now, "processor");
            context.forward(new Record<String, Object>(record.key(), bad, now), VantageTopology.BAD_SINK);
            return;
        }
        context.forward(record.withValue(erasure), VantageTopology.VISITS);
    }
}
