package io.vantage.processor.enrich;

import java.util.List;

/** The named list of enrichment steps, run in order; the first drop ends the run. */
public final class Enrichment {
    private final List<EnrichmentStep> steps;

    public Enrichment(List<EnrichmentStep> steps) {
        this.steps = List.copyOf(steps);
    }

    /**
     * The production pipeline: bots out first (the collector's verdict), then source and campaign.
     * Browser, OS, device and country come with the event: the collector derives them where the
     * IP and User-Agent arrive, so neither reaches Kafka.
     */
    public static Enrichment standard() {
        return new Enrichment(List.of(new BotStep(), new ReferrerStep(), new UtmStep()));
    }

    public List<EnrichmentStep> steps() {
        return steps;
    }

    public EnrichmentStep.Outcome apply(EnrichedEvent event) {
        EnrichmentStep.Outcome outcome = new EnrichmentStep.Keep(event);
        for (EnrichmentStep step : steps) {
            outcome = step.apply(((EnrichmentStep.Keep) outcome).event());
            if (outcome instanceof EnrichmentStep.Drop) {
                return outcome;
            }
        }
        return outcome;
    }
}
