package io.vantage.processor;

import io.vantage.store.ProcessingListener;
import java.time.Duration;
import java.util.Objects;

/**
 * What the topology needs to know; immutable and validated.
 *
 * @param lateGrace   a live beacon whose event time is more than this before its receive time is
 *                    {@code too_late} (imports are never late)
 * @param dedupWindow how long an {@code event_id} is remembered (at least a day)
 * @param listener    observer of drops, bad input and progress
 */
public record TopologyConfig(Duration lateGrace, Duration dedupWindow, ProcessingListener listener) {
    public static final Duration DEFAULT_LATE_GRACE = Duration.ofHours(1);
    public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofDays(1);

    public TopologyConfig {
        Objects.requireNonNull(lateGrace, "lateGrace");
        Objects.requireNonNull(dedupWindow, "dedupWindow");
        Objects.requireNonNull(listener, "listener");
        if (lateGrace.isNegative()) {
            throw new IllegalArgumentException("lateGrace must not be negative: " + lateGrace);
        }
        if (dedupWindow.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("dedupWindow must be at least a day: " + dedupWindow);
        }
    }

    public static TopologyConfig defaults() {
        return new TopologyConfig(DEFAULT_LATE_GRACE, DEFAULT_DEDUP_WINDOW, ProcessingListener.NONE);
    }

    public TopologyConfig withListener(ProcessingListener l) {
        return new TopologyConfig(lateGrace, dedupWindow, l);
    }
}
