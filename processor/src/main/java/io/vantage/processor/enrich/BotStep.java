package io.vantage.processor.enrich;

/**
 * Drops events the collector found to come from a crawler, monitor or headless client (the
 * isbot list's verdict on the User-Agent, taken where it arrived); counted as {@code bot}.
 */
public final class BotStep implements EnrichmentStep {
    @Override
    public String name() {
        return "bot_filter";
    }

    @Override
    public Outcome apply(EnrichedEvent event) {
        return event.event().clientOrNone().bot() ? new Drop("bot") : new Keep(event);
    }
}
