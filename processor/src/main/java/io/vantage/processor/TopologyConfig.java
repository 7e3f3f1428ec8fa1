package io.vantage.processor;

import io.vantage.store.ProcessingListener;
import java.time.Duration;
import java.util.Objects;

/**
 * What the topology needs to know; immutable and validated.
 *
 * @param dedupWindow how long an {@code event_id} is remembered (at least a day)
 * @param listener    observer of drops, bad input and progress
 * @param retentionSweep how often (wall clock) each task applies the sites' retention to its stores
 * @param sweepRows      the most rows one step of a sweep reads or deletes (a step a second), so a
 *                       large backlog of old data never holds a task or its transaction for long
 */
public record TopologyConfig(Duration dedupWindow, ProcessingListener listener, Duration retentionSweep, int sweepRows) {
    public static final int DEFAULT_SWEEP_ROWS = 20_000;
    public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofDays(1);
    /** A sweep reads a site's whole visitor index, so it runs hourly: retention is counted in days. */
    public static final Duration DEFAULT_RETENTION_SWEEP = Duration.ofHours(1);

    public TopologyConfig {
        Objects.requireNonNull(dedupWindow, "dedupWindow");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(retentionSweep, "retentionSweep");
        if (sweepRows < 1) {
            throw new IllegalArgumentException("sweepRows must be positive: " + sweepRows);
        }
        if (retentionSweep.toMillis() < 1) {
            throw new IllegalArgumentException("retentionSweep must be at least a millisecond: " + retentionSweep);
        }
        if (dedupWindow.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("dedupWindow must be at least a day: " + dedupWindow);
        }
    }

    public static TopologyConfig defaults() {
        return new TopologyConfig(DEFAULT_DEDUP_WINDOW, ProcessingListener.NONE, DEFAULT_RETENTION_SWEEP, DEFAULT_SWEEP_ROWS);
    }

    public TopologyConfig withListener(ProcessingListener l) {
        return new TopologyConfig(dedupWindow, l, retentionSweep, sweepRows);
    }

    public TopologyConfig withRetentionSweep(Duration every, int rowsPerStep) {
        return new TopologyConfig(dedupWindow, listener, every, rowsPerStep);
    }
}
