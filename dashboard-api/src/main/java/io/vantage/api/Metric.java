package io.vantage.api;

import io.vantage.processor.rollup.Dimension.Kind;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The metrics of metrics.md, by their API names, each with the breakdowns it is defined for and its
 * computation from merged rollups. Ratios over zero sessions are 0, never NaN.
 */
public enum Metric {
    EVENTS("events", all()),
    PAGEVIEWS("pageviews", all()),
    VISITORS("visitors", EnumSet.allOf(Kind.class)),
    NEW_VISITORS("new_visitors", EnumSet.of(Kind.TOTAL)),
    RETURNING_VISITORS("returning_visitors", EnumSet.of(Kind.TOTAL)),
    VISITS("visits", sessions()),
    REPEAT_VISITOR_RATE("repeat_visitor_rate", sessions()),
    EVENTS_PER_VISIT("events_per_visit", sessions()),
    VIEWS_PER_VISIT("views_per_visit", sessions()),
    VISIT_DURATION("visit_duration", sessions()),
    BOUNCE_RATE("bounce_rate", sessions()),
    CONVERSIONS("conversions", sessions()),
    CONVERSION_RATE("conversion_rate", sessions()),
    TIME_TO_CONVERSION("time_to_conversion", sessions()),
    PERCENTAGE("percentage", EnumSet.allOf(Kind.class)),
    REALTIME_VISITORS("realtime_visitors", EnumSet.of(Kind.TOTAL));

    private final String apiName;
    private final Set<Kind> kinds;

    Metric(String apiName, Set<Kind> kinds) {
        this.apiName = apiName;
        this.kinds = kinds;
    }

    private static Set<Kind> all() {
        return EnumSet.of(Kind.TOTAL, Kind.EVENT, Kind.VISIT);
    }

    private static Set<Kind> sessions() {
        return EnumSet.of(Kind.TOTAL, Kind.VISIT);
    }

    public String apiName() {
        return apiName;
    }

    /** Whether computing it needs the sets of visitors (not only counts). */
    public boolean countsVisitors() {
        return this == VISITORS || this == NEW_VISITORS || this == RETURNING_VISITORS || this == REPEAT_VISITOR_RATE
                || this == PERCENTAGE;
    }

    /** Whether the metric is defined for a breakdown of this kind ({@link Kind#TOTAL}: none). */
    public boolean definedFor(Kind kind) {
        return kinds.contains(kind);
    }

    public static Optional<Metric> ofApiName(String name) {
        return Arrays.stream(values()).filter(m -> m.apiName.equals(name)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(Metric::apiName).collect(Collectors.joining(", "));
    }

    /**
     * What a result row knows: its merged rollups, the kind of breakdown, and the extras some
     * metrics need.
     *
     * @param visitors      the row's distinct visitors as the breakdown defines them
     * @param newVisitors   visitors whose first event ever is in the row's period
     * @param totalVisitors distinct visitors in the whole period, for {@code percentage}
     */
    public record Row(Aggregate agg, Kind kind, long visitors, long newVisitors, long totalVisitors, long realtimeVisitors) {
    }

    public Number of(Row r) {
        Aggregate a = r.agg();
        boolean visit = r.kind() == Kind.VISIT;
        return switch (this) {
            case EVENTS -> visit ? a.sessionEvents() : a.events();
            case PAGEVIEWS -> visit ? a.sessionPageviews() : a.pageviews();
            case VISITORS -> r.visitors();
            case NEW_VISITORS -> r.newVisitors();
            case RETURNING_VISITORS -> Math.max(0, r.visitors() - r.newVisitors());
            case VISITS -> a.visits();
            case REPEAT_VISITOR_RATE -> percent(a.starters().countAtLeast(2, a.visits()), r.visitors());
            case EVENTS_PER_VISIT -> ratio(a.sessionEvents(), a.visits());
            case VIEWS_PER_VISIT -> ratio(a.sessionPageviews(), a.visits());
            case VISIT_DURATION -> ratio(a.durationMs(), a.visits()) / 1000.0;
            case BOUNCE_RATE -> percent(a.bounces(), a.visits());
            case CONVERSIONS -> a.conversions();
            case CONVERSION_RATE -> percent(a.conversions(), a.visits());
            case TIME_TO_CONVERSION -> ratio(a.conversionMs(), a.conversions()) / 1000.0;
            case PERCENTAGE -> percent(r.visitors(), r.totalVisitors());
            case REALTIME_VISITORS -> r.realtimeVisitors();
        };
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    private static double percent(long a, long b) {
        return b == 0 ? 0 : 100.0 * a / b;
    }
}
