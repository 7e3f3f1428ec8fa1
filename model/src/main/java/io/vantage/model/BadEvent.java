package io.vantage.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Input that could not be counted, kept with the reason on the bad-events topic so nothing is lost.
 *
 * <p>Whoever builds one, the raw input and the message are redacted here, so no bad event ever
 * holds a client IP or User-Agent: the values of {@code ip} and {@code user_agent} fields (as an
 * import line names them) and anything shaped like an IPv4 or IPv6 address become
 * {@value #REDACTED}; and the raw input is capped at {@link #MAX_RAW_CHARS}, so hostile input
 * cannot fill the disk through this topic.
 *
 * @param reason     a stable code such as {@code invalid_field}, {@code unparseable} or {@code unknown_site}
 * @param field      the offending field, when one is to blame
 * @param message    what was wrong, for a person
 * @param raw        the input as received, redacted, possibly truncated to {@link #MAX_RAW_CHARS}
 * @param site       the site, when known
 * @param receivedAt when the input reached the server (epoch ms)
 * @param stage      where it was rejected: {@code collector} or {@code processor}
 */
public record BadEvent(String reason, String field, String message, String raw, String site, long receivedAt, String stage) {
    public static final int MAX_RAW_CHARS = 2048;
    public static final String REDACTED = "[redacted]";
    // RE2 (linear time, no recursion): a backtracking engine overflows its stack on a long quoted value.
    private static final com.google.re2j.Pattern CLIENT_FIELD = com.google.re2j.Pattern.compile(
            "(\"(?:ip|user_agent|userAgent|client_ip)\"\\s*:\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"?|[^,}\\]\\s]+)");
    private static final Pattern IPV4 = Pattern.compile("(?<![0-9.])(?:[0-9]{1,3}\\.){3}[0-9]{1,3}(?![0-9])");
    private static final Pattern IPV6 = Pattern.compile("(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])");

    public BadEvent {
        // Cut to twice the cap before redacting (bounded work for a 1 MiB body), then to the cap.
        raw = redact(raw != null && raw.length() > 2 * MAX_RAW_CHARS ? raw.substring(0, 2 * MAX_RAW_CHARS) : raw);
        if (raw != null && raw.length() > MAX_RAW_CHARS) {
            raw = raw.substring(0, MAX_RAW_CHARS);
        }
        message = redact(message);
    }

    /** {@code text} with client-field values and address-shaped strings replaced by {@value #REDACTED}. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        com.google.re2j.Matcher fields = CLIENT_FIELD.matcher(text);
        StringBuilder redacted = new StringBuilder();
        while (fields.find()) {
            fields.appendReplacement(redacted, com.google.re2j.Matcher.quoteReplacement(fields.group(1) + "\"" + REDACTED + "\""));
        }
        fields.appendTail(redacted);
        String out = redacted.toString();
        out = IPV4.matcher(out).replaceAll(REDACTED);
        Matcher v6 = IPV6.matcher(out);
        StringBuilder sb = new StringBuilder();
        while (v6.find()) {
            String m = v6.group();
            // An address has "::" or at least four colons; times like 12:30:45 are left alone.
            boolean address = m.contains("::") || m.chars().filter(c -> c == ':').count() >= 4;
            v6.appendReplacement(sb, Matcher.quoteReplacement(address ? REDACTED : m));
        }
        v6.appendTail(sb);
        return sb.toString();
    }
}
