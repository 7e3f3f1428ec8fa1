package io.vantage.launcher;

import io.vantage.model.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns web server access-log lines (Common or Combined Log Format) into import events: a
 * {@code pageview} per line, a {@code form_submit} for a POST. The line's client host and
 * User-Agent go to the server as {@code ip} and {@code user_agent}, which derives the client facts
 * and a keyed hash of them as the visitor (the host itself is never a visitor id, so it is never
 * stored). The event id is derived from the source and line, so
 * importing the same file again within the dedup window counts nothing twice.
 */
public final class LogImport {
    /** The formats {@code bin/vantage import} reads. */
    public enum Format { CLF, COMBINED, NDJSON }

    private static final Pattern LINE = Pattern.compile(
            "^(\\S+) \\S+ \\S+ \\[([^\\]]+)\\] \"(\\S+) (\\S+)(?: [^\"]*)?\" (\\d{3}) (\\S+)(?: \"((?:[^\"\\\\]|\\\\.)*)\" \"((?:[^\"\\\\]|\\\\.)*)\")?\\s*$");
    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    private LogImport() {
    }

    /** The NDJSON line for a log line, or empty when the line is not a valid log line of the format. */
    public static Optional<String> toEvent(String line, Format format, String site, String source, long lineNumber) {
        Matcher m = LINE.matcher(line);
        if (!m.matches() || (format == Format.COMBINED && m.group(8) == null)) {
            return Optional.empty();
        }
        long ts;
        try {
            ts = OffsetDateTime.parse(m.group(2), CLF_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        String host = m.group(1);
        String method = m.group(3);
        String referrer = m.group(7);
        String userAgent = m.group(8);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("site", site);
        event.put("type", "POST".equals(method) ? "form_submit" : "pageview");
        event.put("ts", ts);
        event.put("event_id", "log:" + hash(source + '\n' + lineNumber + '\n' + line));
        event.put("url", m.group(4));
        if (referrer != null && !referrer.isEmpty() && !"-".equals(referrer)) {
            event.put("referrer", referrer);
        }
        if (userAgent != null && !userAgent.isEmpty()) {
            // Kept even as "-": a client that sends no User-Agent is a bot by the isbot list.
            event.put("user_agent", userAgent);
        }
        // An address or a host name: the server hashes it, with the User-Agent, into the visitor id.
        event.put("ip", host);
        try {
            return Optional.of(Json.MAPPER.writeValueAsString(event));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
