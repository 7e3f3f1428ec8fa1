package io.vantage.processor.rollup;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Local epoch minutes: minutes since 1970-01-01T00:00 of the site's wall clock. Buckets keyed
 * this way make a "day" the site's calendar day, whatever its UTC offset.
 */
public final class LocalMinutes {
    private LocalMinutes() {
    }

    public static long of(long epochMs, ZoneId zone) {
        int offsetSeconds = zone.getRules().getOffset(Instant.ofEpochMilli(epochMs)).getTotalSeconds();
        return Math.floorDiv(epochMs + offsetSeconds * 1000L, 60_000L);
    }

    public static long of(LocalDateTime localTime) {
        return Math.floorDiv(localTime.toEpochSecond(ZoneOffset.UTC), 60L);
    }

    public static LocalDateTime toLocalDateTime(long localEpochMinute) {
        return LocalDateTime.ofEpochSecond(localEpochMinute * 60L, 0, ZoneOffset.UTC);
    }
}
