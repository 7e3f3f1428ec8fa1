package io.vantage.processor.rollup;

/** The bucket sizes rollups are kept in; buckets are in the site's local time. */
public enum Granularity {
    MINUTE('m', 1),
    HOUR('h', 60),
    DAY('d', 1440),
    /** ISO weeks, Monday to Sunday: a range's whole weeks are read as one row each. */
    WEEK('w', 10080);

    /** 1970-01-05, the first Monday, as a local epoch minute. */
    private static final long FIRST_MONDAY = 4 * 1440;

    private final char code;
    private final int minutes;

    Granularity(char code, int minutes) {
        this.code = code;
        this.minutes = minutes;
    }

    public char code() {
        return code;
    }

    public int minutes() {
        return minutes;
    }

    /** The bucket (a local epoch minute at the start of the bucket) that holds a local epoch minute. */
    public long bucketOf(long localEpochMinute) {
        long origin = this == WEEK ? FIRST_MONDAY : 0;
        return localEpochMinute - Math.floorMod(localEpochMinute - origin, (long) minutes);
    }

    public static Granularity ofCode(char code) {
        for (Granularity g : values()) {
            if (g.code == code) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown granularity code " + code);
    }
}
