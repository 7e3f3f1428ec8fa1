package io.vantage.processor;

import io.vantage.model.BadEvent;
import io.vantage.model.Event;
import io.vantage.model.Json;
import io.vantage.processor.enrich.EnrichedEvent;
import io.vantage.processor.enrich.Enrichment;
import io.vantage.processor.enrich.EnrichmentStep;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Rejects live beacons that arrive too late, then runs the enrichment steps; drops are counted
 * by reason.
 */
final class EnrichProcessor implements Processor<String, EnrichedEvent, String, Object> {
    private final Enrichment enrichment;
    private final TopologyConfig config;
    private ProcessorContext<String, Object> context;

    EnrichProcessor(Enrichment enrichment, TopologyConfig config) {
        this.enrichment = enrichment;
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, EnrichedEvent> record) {
        Event event = record.value().event();
        if (event.ingest() == Event.Ingest.LIVE && event.receivedAt() - event.ts() > config.lateGrace().toMillis()) {
            config.listener().onBad("too_late");
            // The event as read, as JSON for people: it carries no IP and no User-Agent, only the collector's client facts.
            String raw;
            try {
                raw = Json.MAPPER.writeValueAsString(event);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("an event always has a JSON form", e);
            }
            BadEvent bad = new BadEvent("too_late", "ts",
                    "event time is more than " + config.lateGrace() + " before it was received", raw,
                    event.site(), event.receivedAt(), "processor");
            context.forward(new Record<String, Object>(record.key(), bad, event.receivedAt()), VantageTopology.BAD_SINK);
            return;
        }
        EnrichmentStep.Outcome outcome = enrichment.apply(record.value());
        if (outcome instanceof EnrichmentStep.Keep keep) {
            context.forward(record.withValue(keep.event()), VantageTopology.DEDUP);
        } else {
            config.listener().onDropped(((EnrichmentStep.Drop) outcome).reason());
        }
    }
}
