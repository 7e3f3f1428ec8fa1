package io.vantage.api;

import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Time buckets of one site's time zone: which bucket an instant falls in, and the bucket's label
 * (metrics.md: ISO-8601 with the site's offset for minutes and hours, a date for days and longer,
 * 0-23 for the hour of day). Offsets are cached per UTC hour, labels per bucket, so a scan over
 * millions of events does not call the zone rules for each.
 */
final class Buckets {
    private static final long HOUR_MS = 3_600_000L;
    /** A cached hour's marker: the zone's offset changes inside it (no offset is this large). */
    private static final int MIXED = Integer.MAX_VALUE;
    private final ZoneId zone;
    private final ZoneRules rules;
    private final TimeGrouping grouping;
    private final Long2IntOpenHashMap offsets = new Long2IntOpenHashMap();
    private final Long2ObjectOpenHashMap<String> labels = new Long2ObjectOpenHashMap<>();
    private final Integer fixedOffsetMs;

    Buckets(ZoneId zone, TimeGrouping grouping) {
        this.zone = zone;
        this.rules = zone.getRules();
        this.grouping = grouping;
        this.fixedOffsetMs = rules.isFixedOffset() ? rules.getOffset(Instant.EPOCH).getTotalSeconds() * 1000 : null;
        offsets.defaultReturnValue(Integer.MIN_VALUE);
    }

    private long localMs(long utcMs) {
        if (fixedOffsetMs != null) {
            return utcMs + fixedOffsetMs;
        }
        long hour = Math.floorDiv(utcMs, HOUR_MS);
        int off = offsets.get(hour);
        if (off == Integer.MIN_VALUE) {
            // One offset for the whole UTC hour, or MIXED where the clock changes inside it (at :30
            // UTC in Adelaide and St John's): each instant of that hour is then asked for its own.
            int atStart = offsetAt(hour * HOUR_MS);
            off = atStart == offsetAt(hour * HOUR_MS + HOUR_MS - 1) ? atStart : MIXED;
            offsets.put(hour, off);
        }
        return utcMs + (off == MIXED ? offsetAt(utcMs) : off);
    }

    private int offsetAt(long utcMs) {
        return rules.getOffset(Instant.ofEpochMilli(utcMs)).getTotalSeconds() * 1000;
    }

    /**
     * The bucket of an instant. Minutes and hours are numbered by the UTC minute they start at, not
     * by their local time: when clocks go back, the repeated local hour is two buckets (two rows,
     * two labels with their own offsets), and when they go forward the skipped hour is none.
     */
    long bucket(long utcMs) {
        long local = localMs(utcMs);
        long offset = local - utcMs;
        long minute = Math.floorDiv(local, 60_000L);
        long day = Math.floorDiv(minute, 1440);
        return switch (grouping) {
            case MINUTE -> Math.floorDiv(minute * 60_000L - offset, 60_000L);
            case HOUR -> Math.floorDiv(Math.floorDiv(minute, 60) * HOUR_MS - offset, 60_000L);
            case DAY -> day;
            case WEEK -> Math.floorDiv(day + 3, 7);
            case MONTH -> {
                LocalDate d = LocalDate.ofEpochDay(day);
                yield d.getYear() * 12L + d.getMonthValue() - 1;
            }
            case HOUR_OF_DAY -> Math.floorMod(Math.floorDiv(minute, 60), 24);
        };
    }

    /** The label of the bucket an instant falls in. */
    String label(long utcMs) {
        long b = bucket(utcMs);
        String l = labels.get(b);
        if (l == null) {
            l = labelOf(b);
            labels.put(b, l);
        }
        return l;
    }

    private String labelOf(long b) {
        return switch (grouping) {
            case MINUTE, HOUR -> ZonedDateTime.ofInstant(Instant.ofEpochSecond(b * 60), zone).toOffsetDateTime()
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            case DAY -> LocalDate.ofEpochDay(b).toString();
            case WEEK -> LocalDate.ofEpochDay(b * 7 - 3).toString();
            case MONTH -> LocalDate.of((int) Math.floorDiv(b, 12), (int) Math.floorMod(b, 12) + 1, 1).toString();
            case HOUR_OF_DAY -> Long.toString(b);
        };
    }

    /**
     * The instant a minute or hour label starts at, for ordering rows by time: a label's text does
     * not sort by time on the night clocks go back (02:59+02:00 comes before 02:00+01:00).
     */
    static long startOf(String label) {
        return java.time.OffsetDateTime.parse(label).toInstant().toEpochMilli();
    }

    /** Every bucket label of {@code [fromMs, toMs)}, in order, at most {@code max}; null when there are more. */
    List<String> labelsBetween(long fromMs, long toMs, int max) {
        List<String> out = new ArrayList<>();
        if (grouping == TimeGrouping.HOUR_OF_DAY) {
            for (int h = 0; h < 24; h++) {
                out.add(Integer.toString(h));
            }
            return out;
        }
        long step = switch (grouping) {
            case MINUTE -> 60_000L;
            case HOUR -> HOUR_MS;
            default -> HOUR_MS;
        };
        String last = null;
        for (long t = fromMs; ; t += step) {
            // The range's last instant too: a range that does not start on a whole bucket ends in part of one.
            String l = label(Math.min(t, toMs - 1));
            if (!l.equals(last)) {
                if (out.size() == max) {
                    return null;
                }
                out.add(l);
                last = l;
            }
            if (t >= toMs - 1) {
                break;
            }
        }
        return out;
    }
}
