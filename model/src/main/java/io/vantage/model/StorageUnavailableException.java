package io.vantage.model;

/** Kafka could not take or give data in time; callers answer 503 with {@code Retry-After}. */
public class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageUnavailableException(String message) {
        super(message);
    }
}
