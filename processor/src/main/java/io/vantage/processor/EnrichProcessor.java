package io.vantage.processor;

import io.vantage.processor.enrich.EnrichedEvent;
import io.vantage.processor.enrich.Enrichment;
import io.vantage.processor.enrich.EnrichmentStep;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Runs the enrichment steps; drops are counted by reason. Every event the collector accepted is
 * counted, however late it arrives (the collector refuses live events more than a day old with a
 * 400, before its 202; imports have any age).
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
        EnrichmentStep.Outcome outcome = enrichment.apply(record.value());
        if (outcome instanceof EnrichmentStep.Keep keep) {
            context.forward(record.withValue(keep.event()), VantageTopology.DEDUP);
        } else {
            config.listener().onDropped(((EnrichmentStep.Drop) outcome).reason());
        }
    }
}
