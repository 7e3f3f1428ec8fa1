package io.vantage.launcher;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vantage.store.ProcessingListener;

/** Counts what the topology does in Prometheus metrics: counted events, drops and bad input by reason. */
final class MeteredListener implements ProcessingListener {
    private final MeterRegistry registry;
    private final Counter counted;
    private final io.micrometer.core.instrument.Timer liveLatency;
    private final io.micrometer.core.instrument.Timer importLatency;

    MeteredListener(MeterRegistry registry) {
        this.registry = registry;
        this.counted = Counter.builder("vantage.events.counted").description("events counted into their visits").register(registry);
        // From the collector's receipt to queryable in this processor's stores (clocks of two machines where they differ).
        liveLatency = endToEnd(registry, "live");
        importLatency = endToEnd(registry, "import");
    }

    @Override
    public void onDropped(String reason) {
        Counter.builder("vantage.events.dropped").tag("reason", reason).register(registry).increment();
    }

    @Override
    public void onErased() {
        Counter.builder("vantage.visitors.erased").description("visitors erased on request").register(registry).increment();
    }

    @Override
    public void onBad(String reason) {
        Counter.builder("vantage.events.bad").tag("reason", reason).register(registry).increment();
    }

    private static io.micrometer.core.instrument.Timer endToEnd(MeterRegistry registry, String ingest) {
        return io.micrometer.core.instrument.Timer.builder("vantage.end_to_end.latency")
                .description("time from the collector receiving an event to the event being queryable").tag("ingest", ingest)
                .publishPercentileHistogram().minimumExpectedValue(java.time.Duration.ofMillis(1))
                .maximumExpectedValue(java.time.Duration.ofMinutes(10)).register(registry);
    }

    @Override
    public void onCounted(long receivedAt, boolean live) {
        counted.increment();
        long took = System.currentTimeMillis() - receivedAt;
        if (receivedAt > 0 && took >= 0) {
            (live ? liveLatency : importLatency).record(took, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }
}
