package io.vantage.collector;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** Counters of the collector: events accepted, rejected by reason, and the time Kafka took to acknowledge. */
final class CollectorMetrics {
    private final MeterRegistry registry;
    private final Counter accepted;
    private final Timer produce;

    CollectorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.accepted = Counter.builder("vantage.events.accepted").description("events acknowledged by Kafka").register(registry);
        this.produce = Timer.builder("vantage.produce.latency").description("time until Kafka acknowledged a request's events")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    }

    void accepted(int n) {
        accepted.increment(n);
    }

    void rejected(String reason, int n) {
        Counter.builder("vantage.events.rejected").tag("reason", reason).register(registry).increment(n);
    }

    void produced(Duration took) {
        produce.record(took);
    }
}
