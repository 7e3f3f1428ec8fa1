package io.vantage.processor;

import io.vantage.store.ProcessingListener;
import java.time.Duration;
import java.util.Objects;

/**
 * What the topology needs to know; immutable and validated.
 *
 * @param dedupWindow how long an {@code event_id} is remembered (at least a day)
 * @param listener    observer of drops, bad input and progress
 */
public record TopologyConfig(Duration dedupWindow, ProcessingListener listener) {
    public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofDays(1);

    public TopologyConfig {
        Objects.requireNonNull(dedupWindow, "dedupWindow");
        Objects.requireNonNull(listener, "listener");
        if (dedupWindow.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("dedupWindow must be at least a day: " + dedupWindow);
        }
    }

    public static TopologyConfig defaults() {
        return new TopologyConfig(DEFAULT_DEDUP_WINDOW, ProcessingListener.NONE);
    }

    public TopologyConfig withListener(ProcessingListener l) {
        return new TopologyConfig(dedupWindow, l);
    }
}
