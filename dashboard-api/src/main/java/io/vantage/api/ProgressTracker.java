package io.vantage.api;

import io.vantage.store.ProcessingListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Remembers, per input partition of this instance, the highest event time processed. Thread-safe. */
public final class ProgressTracker implements ProcessingListener {
    private final Map<String, Long> eventTimes = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.LongAdder counted = new java.util.concurrent.atomic.LongAdder();
    private final ProcessingListener next;

    public ProgressTracker(ProcessingListener next) {
        this.next = next;
    }

    @Override
    public void onInput(String topic, int partition, long offset, long eventTime) {
        eventTimes.merge(topic + "-" + partition, eventTime, Math::max);
        next.onInput(topic, partition, offset, eventTime);
    }

    @Override
    public void onDropped(String reason) {
        next.onDropped(reason);
    }

    @Override
    public void onBad(String reason) {
        next.onBad(reason);
    }

    @Override
    public void onErased() {
        // An erasure changes the numbers as a counted event does: the live feed pushes them.
        counted.increment();
        next.onErased();
    }

    @Override
    public void onCounted(long receivedAt, boolean live) {
        counted.increment();
        next.onCounted(receivedAt, live);
    }

    /**
     * Events counted and visitors erased here since start (each written to the stores before it is
     * counted): a change means new numbers.
     */
    public long counted() {
        return counted.sum();
    }

    /** topic-partition → highest event time processed here. */
    public Map<String, Long> eventTimes() {
        return Map.copyOf(eventTimes);
    }
}
