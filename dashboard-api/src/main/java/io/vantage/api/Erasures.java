package io.vantage.api;

import io.vantage.model.Erasure;

/**
 * Where erasure requests go: the processor carries them out (see {@link io.vantage.model.Erasure}).
 * {@link #request} returns once the request is durably stored (for Kafka: acknowledged), or
 * throws {@link io.vantage.model.StorageUnavailableException}.
 */
@FunctionalInterface
public interface Erasures {
    void request(Erasure erasure);
}
