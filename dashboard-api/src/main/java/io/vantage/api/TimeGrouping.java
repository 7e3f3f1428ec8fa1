package io.vantage.api;

import io.vantage.processor.rollup.Granularity;
import io.vantage.processor.rollup.LocalMinutes;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.Optional;

/** The {@code time:*} dimensions: the bucket size they need and the label of a bucket. */
public enum TimeGrouping {
    MINUTE("time:minute", Granularity.MINUTE),
    HOUR("time:hour", Granularity.HOUR),
    DAY("time:day", Granularity.DAY),
    WEEK("time:week", Granularity.DAY),
    MONTH("time:month", Granularity.DAY),
    HOUR_OF_DAY("time:hour_of_day", Granularity.HOUR);

    private static final DateTimeFormatter MINUTE_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:00");
    private static final DateTimeFormatter HOUR_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:00:00");
    private final String apiName;
    private final Granularity granularity;

    TimeGrouping(String apiName, Granularity granularity) {
        this.apiName = apiName;
        this.granularity = granularity;
    }

    public String apiName() {
        return apiName;
    }

    /** The coarsest rollup bucket that can be grouped this way. */
    public Granularity granularity() {
        return granularity;
    }

    public static Optional<TimeGrouping> ofApiName(String name) {
        return Arrays.stream(values()).filter(t -> t.apiName.equals(name)).findFirst();
    }

    /** The label of the group holding a bucket that starts at {@code localEpochMinute}, in the site's local time. */
    public String label(long localEpochMinute) {
        LocalDateTime t = LocalMinutes.toLocalDateTime(localEpochMinute);
        return switch (this) {
            case MINUTE -> t.format(MINUTE_FORMAT);
            case HOUR -> t.format(HOUR_FORMAT);
            case DAY -> t.toLocalDate().toString();
            case WEEK -> t.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toString();
            case MONTH -> t.toLocalDate().withDayOfMonth(1).toString();
            case HOUR_OF_DAY -> Integer.toString(t.getHour());
        };
    }
}
