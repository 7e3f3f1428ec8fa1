package io.vantage.model;

/**
 * Input that could not be counted, kept with the reason on the bad-events topic so nothing is lost.
 *
 * @param reason     a stable code such as {@code invalid_field}, {@code unparseable} or {@code too_late}
 * @param field      the offending field, when one is to blame
 * @param message    what was wrong, for a person
 * @param raw        the input as received (possibly truncated to {@link #MAX_RAW_CHARS})
 * @param site       the site, when known
 * @param receivedAt when the input reached the server (epoch ms)
 * @param stage      where it was rejected: {@code collector} or {@code processor}
 */
public record BadEvent(String reason, String field, String message, String raw, String site, long receivedAt, String stage) {
    public static final int MAX_RAW_CHARS = 64 * 1024;

    public BadEvent {
        if (raw != null && raw.length() > MAX_RAW_CHARS) {
            raw = raw.substring(0, MAX_RAW_CHARS);
        }
    }
}
