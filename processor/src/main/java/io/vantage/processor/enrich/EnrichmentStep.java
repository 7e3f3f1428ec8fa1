package io.vantage.processor.enrich;

/** One small, pure enrichment step: it returns the event (maybe enriched) or a drop with a reason. */
public interface EnrichmentStep {
    /** The step's name, as counted in metrics. */
    String name();

    Outcome apply(EnrichedEvent event);

    /** What a step decided. */
    sealed interface Outcome permits Keep, Drop {
    }

    /** Go on with this event. */
    record Keep(EnrichedEvent event) implements Outcome {
    }

    /** Do not count the event; {@code reason} is a stable code such as {@code bot}. */
    record Drop(String reason) implements Outcome {
    }
}
