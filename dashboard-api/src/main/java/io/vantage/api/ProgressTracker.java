package io.vantage.api;

import io.vantage.store.ProcessingListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Remembers, per input partition of this instance, the highest event time processed. Thread-safe. */
public final class ProgressTracker implements ProcessingListener {
    /**
     * Per topic, the highest event time per partition (Long.MIN_VALUE: none yet), so that no key is
     * built per event. The array is replaced when a higher partition shows up, and the new one holds
     * the same {@code AtomicLong}s, so a time written meanwhile is not lost.
     */
    private final Map<String, AtomicLong[]> eventTimes = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.LongAdder counted = new java.util.concurrent.atomic.LongAdder();
    private final ProcessingListener next;

    public ProgressTracker(ProcessingListener next) {
        this.next = next;
    }

    @Override
    public void onInput(String topic, int partition, long offset, long eventTime) {
        AtomicLong[] times = eventTimes.get(topic);
        if (times == null || partition >= times.length) {
            times = widen(topic, partition);
        }
        AtomicLong time = times[partition];
        long seen = time.get();
        while (seen < eventTime && !time.compareAndSet(seen, eventTime)) {
            seen = time.get();
        }
        next.onInput(topic, partition, offset, eventTime);
    }

    private synchronized AtomicLong[] widen(String topic, int partition) {
        AtomicLong[] times = eventTimes.get(topic);
        if (times != null && partition < times.length) {
            return times;
        }
        AtomicLong[] wider = new AtomicLong[Math.max(partition + 1, times == null ? 0 : times.length * 2)];
        for (int i = 0; i < wider.length; i++) {
            wider[i] = times != null && i < times.length ? times[i] : new AtomicLong(Long.MIN_VALUE);
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
            for (int p = 0; p < times.length; p++) {
                long t = times[p].get();
                if (t != Long.MIN_VALUE) {
                    out.put(topic + "-" + p, t);
                }
            }
        });
        return Map.copyOf(out);
    }
}
