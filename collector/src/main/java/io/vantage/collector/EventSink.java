package io.vantage.collector;

import io.vantage.model.BadEvent;
import io.vantage.model.Event;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where accepted events go. The future completes once every event is durably stored (for Kafka:
 * acknowledged by all in-sync replicas), or fails; callers answer 202 only after it completed.
 */
public interface EventSink extends AutoCloseable {
    /** Live beacons to {@link io.vantage.model.Topics#EVENTS}, imports to {@link io.vantage.model.Topics#IMPORTS}. */
    CompletableFuture<Void> send(List<Event> events);

    /** Rejected input to {@link io.vantage.model.Topics#BAD_EVENTS}. */
    CompletableFuture<Void> sendBad(List<BadEvent> bad);

    /** Whether the last attempt to store reached the store. */
    boolean healthy();

    /**
     * Whether a request should try to store now. While the store is known to be failing, requests
     * are refused at once (a 503 that does not wait out a produce timeout with its thread and body
     * held) until the sink finds the store back.
     */
    default boolean accepting() {
        return healthy();
    }

    @Override
    void close();
}
