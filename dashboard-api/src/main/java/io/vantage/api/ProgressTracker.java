package io.vantage.api;

import io.vantage.store.ProcessingListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/** Remembers, per input partition of this instance, the highest event time processed. Thread-safe. */
public final class ProgressTracker implements ProcessingListener {
    /** Per topic, the highest event time per partition (Long.MIN_VALUE: none yet): no key built per event. */
    private final Map<String, AtomicLongArray> eventTimes = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.LongAdder counted = new java.util.concurrent.atomic.LongAdder();
    private final ProcessingListener next;

    public ProgressTracker(ProcessingListener next) {
        this.next = next;
    }

    @Override
    public void onInput(String topic, int partition, long offset, long eventTime) {
        AtomicLongArray times = eventTimes.get(topic);
        if (times == null || partition >= times.length()) {
            times = widen(topic, partition);
        }
        long seen = times.get(partition);
        while (seen < eventTime && !times.compareAndSet(partition, seen, eventTime)) {
            seen = times.get(partition);
        }
        next.onInput(topic, partition, offset, eventTime);
    }

    private synchronized AtomicLongArray widen(String topic, int partition) {
        AtomicLongArray times = eventTimes.get(topic);
        if (times != null && partition < times.length()) {
            return times;
        }
        AtomicLongArray wider = new AtomicLongArray(Math.max(partition + 1, times == null ? 0 : times.length() * 2));
        for (int i = 0; i < wider.length(); i++) {
            wider.set(i, times != null && i < times.length() ? times.get(i) : Long.MIN_VALUE);
        }
        eventTimes.put(topic, wider);
        return wider;
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
        Map<String, Long> out = new java.util.HashMap<>();
        eventTimes.forEach((topic, times) -> {
            for (int p = 0; p < times.length(); p++) {
                if (times.get(p) != Long.MIN_VALUE) {
                    out.put(topic + "-" + p, times.get(p));
                }
            }
        });
        return Map.copyOf(out);
    }
}
