package io.vantage.api;

import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * A set of one partition's visitor numbers as plain bits, for a breakdown of thousands of rows that
 * each count how many of their visitors are in it (new visitors are the row's visitors among the
 * range's first visits). A Roaring intersection walks the big set's sorted arrays for every row;
 * here a row costs one bit test per visitor of its own. Built per query, about one bit per visitor
 * of the partition.
 */
final class VisitorBits {
    /** The most a query may hold in bit sets per partition (one per time bucket of a breakdown). */
    static final long MAX_BYTES = 16L << 20;
    private final long[] words;

    private VisitorBits(long[] words) {
        this.words = words;
    }

    /**
     * Whether {@code sets} sets of visitors numbered up to {@code highest} fit in {@link #MAX_BYTES}:
     * a breakdown by hour over a month has hundreds of buckets, each set as long as the partition's visitors.
     */
    static boolean fit(int sets, RoaringBitmap highest) {
        return (long) sets * ((highest.isEmpty() ? 0 : Integer.toUnsignedLong(highest.last()) / 8) + 16) <= MAX_BYTES;
    }

    static VisitorBits of(RoaringBitmap set) {
        long[] words = new long[set.isEmpty() ? 0 : (set.last() >>> 6) + 1];
        IntIterator it = set.getIntIterator();
        while (it.hasNext()) {
            int v = it.next();
            words[v >>> 6] |= 1L << v;
        }
        return new VisitorBits(words);
    }

    /** How many of {@code members} are in this set. */
    long countIn(RoaringBitmap members) {
        long n = 0;
        IntIterator it = members.getIntIterator();
        while (it.hasNext()) {
            int v = it.next();
            int w = v >>> 6;
            if (w < words.length && (words[w] & 1L << v) != 0) {
                n++;
            }
        }
        return n;
    }
}
