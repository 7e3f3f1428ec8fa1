package io.vantage.api;

import org.roaringbitmap.RoaringBitmap;

/**
 * The counts of one row value in one stretch of time, with the visitors behind them as Roaring
 * bitmaps of the partition's dense visitor numbers ({@link VisitorIds}): merging two stretches is a
 * sum of counts and a union of bitmaps, and distinct visitors stay exact.
 *
 * <p>A cell held in a cache is never changed again: {@link #add} changes only the cell it is
 * called on, and copies the other's bitmaps where it takes them.
 */
final class SummaryCell {
    /** The additive counts of {@link Partial} (events and pageviews by event time, the rest by visit start). */
    final long[] counts = new long[Partial.COUNTS];
    /** Visitors of the counted events. */
    RoaringBitmap visitors;
    /** How many {@code visitors} holds, once asked (-1 before; a kept cell no longer changes). */
    private long visitorCount = -1;
    /** Visitors who started a counted visit. */
    RoaringBitmap starters;
    /** Visitors who started two or more counted visits. */
    RoaringBitmap repeaters;

    void event(boolean pageview, int visitor) {
        visitorCount = -1;
        counts[Partial.EVENTS]++;
        if (pageview) {
            counts[Partial.PAGEVIEWS]++;
        }
        if (visitors == null) {
            visitors = new RoaringBitmap();
        }
        visitors.add(visitor);
    }

    void visit(SegmentScan.Session s, int visitor) {
        s.countInto(counts);
        if (starters == null) {
            starters = new RoaringBitmap();
        }
        if (!starters.checkedAdd(visitor)) {
            if (repeaters == null) {
                repeaters = new RoaringBitmap();
            }
            repeaters.add(visitor);
        }
    }

    /** The number of distinct visitors of the counted events. */
    long visitorCount() {
        long n = visitorCount;
        if (n < 0) {
            n = visitors == null ? 0 : visitors.getLongCardinality();
            visitorCount = n;
        }
        return n;
    }

    /** Adds another stretch's cell to this one (the other is left as it is). */
    void add(SummaryCell other) {
        visitorCount = -1;
        for (int i = 0; i < Partial.COUNTS; i++) {
            counts[i] += other.counts[i];
        }
        visitors = union(visitors, other.visitors);
        if (other.starters != null) {
            // A visitor who started visits in both stretches is a repeater of the sum.
            if (starters != null) {
                RoaringBitmap both = RoaringBitmap.and(starters, other.starters);
                if (!both.isEmpty()) {
                    repeaters = union(repeaters, both);
                }
            }
            starters = union(starters, other.starters);
        }
        repeaters = union(repeaters, other.repeaters);
    }

    /** {@code mine} with {@code theirs} added: {@code mine} changed in place, or a copy of {@code theirs} when there is none yet. */
    static RoaringBitmap union(RoaringBitmap mine, RoaringBitmap theirs) {
        if (theirs == null) {
            return mine;
        }
        if (mine == null) {
            return theirs.clone();
        }
        mine.or(theirs);
        return mine;
    }

    /** Compacts the bitmaps before the cell is cached (after which nothing changes them, so equal sets can be one object). */
    SummaryCell seal() {
        for (RoaringBitmap b : new RoaringBitmap[] {visitors, starters, repeaters}) {
            if (b != null) {
                b.runOptimize();
                b.trim();
            }
        }
        if (starters != null && starters.equals(visitors)) {
            starters = visitors;
        }
        return this;
    }

    /** About the heap the cell holds, for the cache's budget. */
    long bytes() {
        return 48 + 16 + 8L * Partial.COUNTS + size(visitors) + (starters == visitors ? 0 : size(starters)) + size(repeaters);
    }

    private static long size(RoaringBitmap b) {
        // the bitmap and its arrays, its contents, and a container object per 65,536 numbers it spans (at most)
        return b == null ? 0 : 96 + b.getLongSizeInBytes() + (b.isEmpty() ? 0 : 40L * ((b.last() >>> 16) - (b.first() >>> 16) + 1));
    }
}
