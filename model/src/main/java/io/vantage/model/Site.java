package io.vantage.model;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A tracked site: its id (used in the snippet), domain, time zone, goals and read key.
 *
 * @param sessionTimeoutMinutes the gap that ends a session (metrics.md {@code session_timeout})
 * @param allowedDomains        when not empty, browser beacons are accepted only from these origins' hosts
 */
public record Site(String id, String domain, String timezone, List<String> goals, String readKey,
                   int sessionTimeoutMinutes, List<String> allowedDomains) {
    public static final int DEFAULT_SESSION_TIMEOUT_MINUTES = 30;
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public Site {
        goals = goals == null ? List.of() : List.copyOf(goals);
        allowedDomains = allowedDomains == null ? List.of() : List.copyOf(allowedDomains);
        timezone = timezone == null || timezone.isBlank() ? "UTC" : timezone;
        sessionTimeoutMinutes = sessionTimeoutMinutes <= 0 ? DEFAULT_SESSION_TIMEOUT_MINUTES : sessionTimeoutMinutes;
    }

    public ZoneId zone() {
        return ZoneId.of(timezone);
    }

    public long sessionTimeoutMs() {
        return sessionTimeoutMinutes * 60_000L;
    }

    public boolean isGoal(String eventName) {
        return eventName != null && goals.contains(eventName);
    }

    /** Whether a time zone name is one Java knows, e.g. {@code Europe/Berlin}. */
    public static boolean isValidZone(String zone) {
        try {
            ZoneId.of(zone);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }
}
