package io.vantage.processor.rollup;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The dimensions rollups are kept by, with the bucket sizes kept for each. {@link #ALL} holds the
 * totals. Event dimensions count events at their time; visit dimensions count sessions at their
 * start (the value of the session's first event, or its entry/exit page); the visitor dimensions
 * hold sets of visitors (by first visit, by latest trait). Totals and event dimensions are also
 * kept per ISO week, so a long range reads a row per whole week; visit dimensions per day only, as
 * each of their rows is rewritten for every event of a session.
 */
public enum Dimension {
    ALL("all", Kind.TOTAL, EnumSet.allOf(Granularity.class)),
    PAGE("event:page", Kind.EVENT, EnumSet.of(Granularity.HOUR, Granularity.DAY, Granularity.WEEK)),
    EVENT_TYPE("event:type", Kind.EVENT, EnumSet.of(Granularity.DAY, Granularity.WEEK)),
    EVENT_NAME("event:name", Kind.EVENT, EnumSet.of(Granularity.HOUR, Granularity.DAY, Granularity.WEEK)),
    ENTRY_PAGE("visit:entry_page", Kind.VISIT, EnumSet.of(Granularity.DAY)),
    EXIT_PAGE("visit:exit_page", Kind.VISIT, EnumSet.of(Granularity.DAY)),
    SOURCE("visit:source", Kind.VISIT, EnumSet.of(Granularity.DAY)),
    REFERRER("visit:referrer", Kind.VISIT, EnumSet.of(Granularity.DAY)),
    UTM_SOURCE("visit:utm_source", Kind.VISIT, EnumSet.of(Granularity.DAY)),
    UTM_MEDIUM("visit:utm_medium", Kind.VISIT, EnumSet.of(Granularity.DAY)),
    UTM_CAMPAIGN("visit:utm_campaign", Kind.VISIT, EnumSet.of(Granularity.DAY)),
    COUNTRY("visit:country", Kind.VISIT, EnumSet.of(Granularity.DAY)),
    BROWSER("visit:browser", Kind.VISIT, EnumSet.of(Granularity.DAY)),
    OS("visit:os", Kind.VISIT, EnumSet.of(Granularity.DAY)),
    DEVICE("visit:device", Kind.VISIT, EnumSet.of(Granularity.DAY)),
    /** Visitors by the bucket of their first event ever (for {@code new_visitors}). */
    FIRST_SEEN("visitor:first_seen", Kind.VISITOR, EnumSet.of(Granularity.HOUR, Granularity.DAY, Granularity.WEEK)),
    /** Visitors by their latest trait, value {@code name=value}, one timeless bucket. */
    TRAIT("visitor:trait", Kind.VISITOR, EnumSet.of(Granularity.DAY));

    /** How a dimension's rows count. */
    public enum Kind { TOTAL, EVENT, VISIT, VISITOR }

    /** The prefix of trait dimensions in queries: {@code visitor:trait:gender}. */
    public static final String TRAIT_PREFIX = "visitor:trait:";

    private final String apiName;
    private final Kind kind;
    private final Set<Granularity> kept;

    Dimension(String apiName, Kind kind, Set<Granularity> kept) {
        this.apiName = apiName;
        this.kind = kind;
        this.kept = kept;
    }

    /** The name used in queries and in the rollup key. */
    public String apiName() {
        return apiName;
    }

    public Kind kind() {
        return kind;
    }

    /** The bucket sizes rows of this dimension are kept in. */
    public Set<Granularity> kept() {
        return kept;
    }

    /** A dimension a query may break down by (not the totals nor internal ones). */
    public static Optional<Dimension> ofApiName(String name) {
        return Arrays.stream(values())
                .filter(d -> d.apiName.equals(name) && (d.kind == Kind.EVENT || d.kind == Kind.VISIT))
                .findFirst();
    }

    static Dimension ofKey(String name) {
        for (Dimension d : values()) {
            if (d.apiName.equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dimension in rollup key: " + name);
    }
}
