package io.vantage.launcher;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vantage.store.ProcessingListener;

/** Counts what the topology does in Prometheus metrics: counted events, drops and bad input by reason. */
final class MeteredListener implements ProcessingListener {
    private final MeterRegistry registry;
    private final Counter counted;

    MeteredListener(MeterRegistry registry) {
        this.registry = registry;
        this.counted = Counter.builder("vantage.events.counted").description("events counted into their visits").register(registry);
    }

    @Override
    public void onDropped(String reason) {
        Counter.builder("vantage.events.dropped").tag("reason", reason).register(registry).increment();
    }

    @Override
    public void onBad(String reason) {
        Counter.builder("vantage.events.bad").tag("reason", reason).register(registry).increment();
    }

    @Override
    public void onCounted() {
        counted.increment();
    }
}
