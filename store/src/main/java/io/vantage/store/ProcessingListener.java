package io.vantage.store;

/**
 * Observes what the topology does, for metrics and the status endpoint. Implementations must be
 * thread-safe and cheap: they are called per record on stream threads.
 */
public interface ProcessingListener {
    ProcessingListener NONE = new ProcessingListener() {
    };

    /** An input record was read from {@code topic}/{@code partition} at {@code offset}. */
    default void onInput(String topic, int partition, long offset, long eventTime) {
    }

    /** An event was not counted on purpose (bot, duplicate), by reason. */
    default void onDropped(String reason) {
    }

    /** Input was routed to the bad-events topic, by reason. */
    default void onBad(String reason) {
    }

    /** A visitor was erased on request. */
    default void onErased() {
    }

    /**
     * An event was counted into its visit, so queries see it from now on. {@code receivedAt} is the
     * collector's clock when the event arrived; {@code live} is false for an import.
     */
    default void onCounted(long receivedAt, boolean live) {
    }
}
