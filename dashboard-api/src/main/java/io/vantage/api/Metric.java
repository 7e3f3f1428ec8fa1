package io.vantage.api;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The metrics of metrics.md by their API names, each computed from a row's merged counts
 * ({@link Partial}). Every metric is defined for every breakdown: a row is the query's segment
 * narrowed to the row's values. Ratios over zero visits are 0, never NaN.
 */
public enum Metric {
    EVENTS("events"),
    PAGEVIEWS("pageviews"),
    VISITORS("visitors"),
    NEW_VISITORS("new_visitors"),
    RETURNING_VISITORS("returning_visitors"),
    VISITS("visits"),
    REPEAT_VISITOR_RATE("repeat_visitor_rate"),
    EVENTS_PER_VISIT("events_per_visit"),
    VIEWS_PER_VISIT("views_per_visit"),
    VISIT_DURATION("visit_duration"),
    BOUNCE_RATE("bounce_rate"),
    CONVERSIONS("conversions"),
    CONVERSION_RATE("conversion_rate"),
    TIME_TO_CONVERSION("time_to_conversion"),
    PERCENTAGE("percentage"),
    REALTIME_VISITORS("realtime_visitors");

    private final String apiName;

    Metric(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    public static Optional<Metric> ofApiName(String name) {
        return Arrays.stream(values()).filter(m -> m.apiName.equals(name)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(Metric::apiName).collect(Collectors.joining(", "));
    }

    /**
     * What a result row knows besides its counts.
     *
     * @param share       the value {@code percentage} divides by: the first asked metric's total (visitors when only percentage is asked)
     * @param visitsBase  the visits a conversion rate divides by (all visits of the segment for a goal row, else the row's)
     * @param realtime    realtime visitors of the segment
     */
    public record Row(long[] c, double shareOf, double share, long visitsBase, long realtime) {
    }

    public Number of(Row r) {
        long[] c = r.c();
        return switch (this) {
            case EVENTS -> c[Partial.EVENTS];
            case PAGEVIEWS -> c[Partial.PAGEVIEWS];
            case VISITORS -> c[Partial.VISITORS];
            case NEW_VISITORS -> c[Partial.NEW_VISITORS];
            case RETURNING_VISITORS -> Math.max(0, c[Partial.VISITORS] - c[Partial.NEW_VISITORS]);
            case VISITS -> c[Partial.VISITS];
            case REPEAT_VISITOR_RATE -> percent(c[Partial.REPEATERS], c[Partial.VISITORS]);
            case EVENTS_PER_VISIT -> ratio(c[Partial.SESSION_EVENTS], c[Partial.VISITS]);
            case VIEWS_PER_VISIT -> ratio(c[Partial.SESSION_PAGEVIEWS], c[Partial.VISITS]);
            case VISIT_DURATION -> ratio(c[Partial.DURATION_MS], c[Partial.VISITS]) / 1000.0;
            case BOUNCE_RATE -> percent(c[Partial.BOUNCES], c[Partial.VISITS]);
            case CONVERSIONS -> c[Partial.CONVERSIONS];
            case CONVERSION_RATE -> percent(c[Partial.CONVERSIONS], r.visitsBase());
            case TIME_TO_CONVERSION -> ratio(c[Partial.CONVERSION_MS], c[Partial.CONVERSIONS]) / 1000.0;
            case PERCENTAGE -> r.share() == 0 ? 0.0 : 100.0 * r.shareOf() / r.share();
            case REALTIME_VISITORS -> r.realtime();
        };
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    private static double percent(long a, long b) {
        return b == 0 ? 0 : 100.0 * a / b;
    }
}
