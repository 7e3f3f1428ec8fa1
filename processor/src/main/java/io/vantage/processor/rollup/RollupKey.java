package io.vantage.processor.rollup;

/**
 * The key of a rollup row: {@code site|dimension|granularity|bucket|value}. The bucket is a
 * zero-padded local epoch minute, so one dimension's buckets of one site are one contiguous,
 * ordered key range and a period is answered by a single range scan.
 */
public record RollupKey(String site, Dimension dimension, Granularity granularity, long bucket, String value) {
    private static final char SEP = '|';
    private static final int BUCKET_DIGITS = 10;

    public String encode() {
        return prefix(site, dimension, granularity) + pad(bucket) + SEP + (value == null ? "" : value);
    }

    /**
     * A bound just below every key of bucket {@code bucket}: as the lower end of a range scan it
     * includes that bucket, as the (inclusive) upper end it stops before it, so
     * {@code range(bound(from), bound(to))} reads the half-open {@code [from, to)}.
     */
    public static String bound(String site, Dimension dimension, Granularity granularity, long bucket) {
        return prefix(site, dimension, granularity) + pad(bucket);
    }

    public static RollupKey decode(String key) {
        int a = key.indexOf(SEP);
        int b = key.indexOf(SEP, a + 1);
        int c = key.indexOf(SEP, b + 1);
        int d = key.indexOf(SEP, c + 1);
        Dimension dimension = Dimension.ofKey(key.substring(a + 1, b));
        return new RollupKey(key.substring(0, a), dimension, Granularity.ofCode(key.charAt(b + 1)),
                Long.parseLong(key.substring(c + 1, d)), key.substring(d + 1));
    }

    private static String prefix(String site, Dimension dimension, Granularity granularity) {
        return site + SEP + dimension.apiName() + SEP + granularity.code() + SEP;
    }

    private static String pad(long bucket) {
        if (bucket < 0) {
            throw new IllegalArgumentException("bucket before 1970: " + bucket);
        }
        String digits = Long.toString(bucket);
        return "0".repeat(Math.max(0, BUCKET_DIGITS - digits.length())) + digits;
    }
}
