package io.vantage.api;

import java.util.List;
import java.util.Optional;

/**
 * A dimension of metrics.md by its API name: what it is a value of (an event, a visit, a visitor,
 * or a time bucket) and, for {@code event:props:NAME} and {@code visitor:trait:NAME}, the name.
 */
public record Dimension(String apiName, Kind kind, Field field, String param) {
    /** What the value belongs to; it decides how a filter on it selects (metrics.md, Filters). */
    public enum Kind { EVENT, VISIT, VISITOR, TIME }

    /** Which value. */
    public enum Field {
        PAGE, TYPE, NAME, GOAL, PROP,
        ENTRY_PAGE, EXIT_PAGE, SOURCE, REFERRER, REFERRER_MEDIUM, UTM_SOURCE, UTM_MEDIUM, UTM_CAMPAIGN, COUNTRY, BROWSER, OS, DEVICE,
        TRAIT, TIME
    }

    public static final String PROPS_PREFIX = "event:props:";
    public static final String TRAIT_PREFIX = "visitor:trait:";
    /** The row label of a property or trait a visitor or event has no value for. */
    public static final String NONE = "(none)";

    private static final List<Dimension> FIXED = List.of(
            new Dimension("event:page", Kind.EVENT, Field.PAGE, null),
            new Dimension("event:type", Kind.EVENT, Field.TYPE, null),
            new Dimension("event:name", Kind.EVENT, Field.NAME, null),
            new Dimension("event:goal", Kind.EVENT, Field.GOAL, null),
            new Dimension("visit:entry_page", Kind.VISIT, Field.ENTRY_PAGE, null),
            new Dimension("visit:exit_page", Kind.VISIT, Field.EXIT_PAGE, null),
            new Dimension("visit:source", Kind.VISIT, Field.SOURCE, null),
            new Dimension("visit:referrer", Kind.VISIT, Field.REFERRER, null),
            // the referrer's medium in the referrer database: search, social, email, paid, referral, (none)
            new Dimension("visit:referrer_medium", Kind.VISIT, Field.REFERRER_MEDIUM, null),
            new Dimension("visit:utm_source", Kind.VISIT, Field.UTM_SOURCE, null),
            new Dimension("visit:utm_medium", Kind.VISIT, Field.UTM_MEDIUM, null),
            new Dimension("visit:utm_campaign", Kind.VISIT, Field.UTM_CAMPAIGN, null),
            new Dimension("visit:country", Kind.VISIT, Field.COUNTRY, null),
            new Dimension("visit:browser", Kind.VISIT, Field.BROWSER, null),
            new Dimension("visit:os", Kind.VISIT, Field.OS, null),
            new Dimension("visit:device", Kind.VISIT, Field.DEVICE, null));

    /** Every name a query may use, for error messages. */
    public static final String NAMES = "event:page, event:type, event:name, event:goal, event:props:NAME, visit:entry_page,"
            + " visit:exit_page, visit:source, visit:referrer, visit:referrer_medium, visit:utm_source, visit:utm_medium, visit:utm_campaign,"
            + " visit:country, visit:browser, visit:os, visit:device, visitor:trait:NAME, time:minute|hour|day|week|month|hour_of_day";

    /** A dimension that is not a time bucket. */
    public static Optional<Dimension> ofApiName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        if (name.startsWith(PROPS_PREFIX) && name.length() > PROPS_PREFIX.length()) {
            return Optional.of(new Dimension(name, Kind.EVENT, Field.PROP, name.substring(PROPS_PREFIX.length())));
        }
        if (name.startsWith(TRAIT_PREFIX) && name.length() > TRAIT_PREFIX.length()) {
            return Optional.of(new Dimension(name, Kind.VISITOR, Field.TRAIT, name.substring(TRAIT_PREFIX.length())));
        }
        return FIXED.stream().filter(d -> d.apiName.equals(name)).findFirst();
    }

    public static Dimension time(TimeGrouping g) {
        return new Dimension(g.apiName(), Kind.TIME, Field.TIME, null);
    }

    /** Whether a row without a value for this dimension is shown as {@link #NONE} (else it has no row). */
    public boolean labelsMissing() {
        return field == Field.PROP || field == Field.TRAIT;
    }
}
