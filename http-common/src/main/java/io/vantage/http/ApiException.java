package io.vantage.http;

/**
 * A caller's mistake or a temporary outage, answered as the contract's JSON error
 * {@code {"error": code, "message": ...}} with {@link #status()}.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;
    private final long retryAfterSeconds;

    public ApiException(int status, String code, String message, String field) {
        this(status, code, message, field, 0);
    }

    /** An answer that tells the client when to retry ({@code Retry-After}, in seconds; 0 for none). */
    public ApiException(int status, String code, String message, String field, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds the client should wait before retrying, 0 when the answer does not say. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message, null);
    }

    public static ApiException invalidField(String field, String message) {
        return new ApiException(400, "invalid_field", field + ": " + message, field);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The offending field, when one is to blame. */
    public String field() {
        return field;
    }
}
