package io.vantage.processor.rollup;

/**
 * The additive counts of a rollup row or a merge of rows, by name; the indexes are
 * {@link RollupChange}'s fields.
 */
public interface Counts {
    long count(int field);

    default long events() { return count(RollupChange.EVENTS); }
    default long pageviews() { return count(RollupChange.PAGEVIEWS); }
    default long visits() { return count(RollupChange.VISITS); }
    default long bounces() { return count(RollupChange.BOUNCES); }
    default long durationMs() { return count(RollupChange.DURATION_MS); }
    default long sessionEvents() { return count(RollupChange.SESSION_EVENTS); }
    default long sessionPageviews() { return count(RollupChange.SESSION_PAGEVIEWS); }
    default long conversions() { return count(RollupChange.CONVERSIONS); }
    default long conversionMs() { return count(RollupChange.CONVERSION_MS); }
}
