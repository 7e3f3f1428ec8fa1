package io.vantage.processor.rollup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.datasketches.hash.MurmurHash3;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.theta.SetOperation;
import org.apache.datasketches.theta.Sketch;
import org.apache.datasketches.theta.Union;
import org.apache.datasketches.theta.UpdateSketch;

/**
 * A mergeable set of visitors, each with a count (events or sessions): exact up to
 * {@link #EXACT_LIMIT} members, a Theta sketch of nominal size {@link #EXACT_LIMIT} beyond.
 *
 * <p>metrics.md asks distinct counts to be exact up to 16,384 visitors and within 2% beyond, with
 * unions and intersections over ranges: exact arrays give the first, Theta the rest (relative
 * standard error under 0.8% at k = 16,384). Items fed to a sketch are the same 64-bit visitor
 * hashes, so an exact set converts into a sketch losslessly.
 *
 * <p>Exact sets keep a count per visitor so that a session's contribution can be retracted when
 * sessions merge, a moved first visit or trait can be taken back, and visitors with two or more
 * sessions in a period can be counted. A sketch keeps no counts: beyond the exact limit removals
 * are not applied and counts are not known (see {@link Merged#countAtLeast(int)}).
 *
 * <p>Serialized form: a mode byte, then either sorted entries (8-byte hash, 4-byte count,
 * big-endian) or a compact Theta sketch.
 */
public final class VisitorSet {
    public static final int EXACT_LIMIT = 16_384;
    static final byte EXACT = 0;
    static final byte THETA = 1;
    private static final int ENTRY = 12;
    private static final long HASH_SEED = 0x5EED_7A47L;
    private static final byte[] EMPTY = {EXACT};

    private VisitorSet() {
    }

    /** The 64-bit hash that stands for a visitor in every set. */
    public static long hash(String visitorId) {
        return MurmurHash3.hash(visitorId.getBytes(StandardCharsets.UTF_8), HASH_SEED)[0];
    }

    public static byte[] empty() {
        return EMPTY.clone();
    }

    public static boolean isEmpty(byte[] set) {
        return set == null || set.length <= 1;
    }

    /** The set with {@code delta} added to the visitor's count; a count at or below zero removes the visitor. */
    public static byte[] add(byte[] set, long visitorHash, int delta) {
        return add(set, visitorHash, delta, true);
    }

    /**
     * Membership without counts: adding a member changes nothing (and copies nothing), removing takes
     * it out whatever its count. For sets whose counts nobody reads, it saves a copy per event.
     */
    public static byte[] addMember(byte[] set, long visitorHash, int delta) {
        return add(set, visitorHash, delta, false);
    }

    private static byte[] add(byte[] set, long visitorHash, int delta, boolean counted) {
        if (set == null || set.length == 0) {
            set = EMPTY;
        }
        if (set[0] == THETA) {
            if (delta <= 0) {
                return set;
            }
            Union union = newUnion();
            union.union(theta(set));
            union.union(sketchOf(new long[] {visitorHash}, 1));
            return withMode(THETA, union.getResult().toByteArray());
        }
        int n = (set.length - 1) / ENTRY;
        ByteBuffer buf = ByteBuffer.wrap(set);
        int lo = 0;
        int hi = n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = buf.getLong(1 + mid * ENTRY);
            if (v < visitorHash) {
                lo = mid + 1;
            } else if (v > visitorHash) {
                hi = mid - 1;
            } else {
                if (!counted && delta > 0) {
                    return set;
                }
                int count = counted ? buf.getInt(1 + mid * ENTRY + 8) + delta : 0;
                if (count > 0) {
                    byte[] out = set.clone();
                    ByteBuffer.wrap(out).putInt(1 + mid * ENTRY + 8, count);
                    return out;
                }
                byte[] out = new byte[set.length - ENTRY];
                System.arraycopy(set, 0, out, 0, 1 + mid * ENTRY);
                System.arraycopy(set, 1 + (mid + 1) * ENTRY, out, 1 + mid * ENTRY, (n - mid - 1) * ENTRY);
                return out;
            }
        }
        if (delta <= 0) {
            return set;
        }
        if (n >= EXACT_LIMIT) {
            long[] hashes = new long[n + 1];
            for (int i = 0; i < n; i++) {
                hashes[i] = buf.getLong(1 + i * ENTRY);
            }
            hashes[n] = visitorHash;
            return withMode(THETA, sketchOf(hashes, hashes.length).compact().toByteArray());
        }
        byte[] out = new byte[set.length + ENTRY];
        System.arraycopy(set, 0, out, 0, 1 + lo * ENTRY);
        ByteBuffer.wrap(out).putLong(1 + lo * ENTRY, visitorHash).putInt(1 + lo * ENTRY + 8, delta);
        System.arraycopy(set, 1 + lo * ENTRY, out, 1 + (lo + 1) * ENTRY, (n - lo) * ENTRY);
        return out;
    }

    /** Receives the entries of an exact set. */
    @FunctionalInterface
    public interface EntryConsumer {
        void accept(long visitorHash, int count);
    }

    /** Visits the entries of an exact set; returns false (visiting nothing) for a sketch. */
    public static boolean forEachEntry(byte[] set, EntryConsumer consumer) {
        if (isEmpty(set)) {
            return true;
        }
        if (set[0] == THETA) {
            return false;
        }
        ByteBuffer buf = ByteBuffer.wrap(set);
        for (int i = 0, n = (set.length - 1) / ENTRY; i < n; i++) {
            consumer.accept(buf.getLong(1 + i * ENTRY), buf.getInt(1 + i * ENTRY + 8));
        }
        return true;
    }

    /** Entries in an exact set (0 for a sketch). */
    static int entries(byte[] set) {
        return isEmpty(set) || set[0] == THETA ? 0 : (set.length - 1) / ENTRY;
    }

    /** The number of members: exact in exact mode, the Theta estimate beyond. */
    public static long count(byte[] set) {
        if (isEmpty(set)) {
            return 0;
        }
        return set[0] == THETA ? Math.round(theta(set).getEstimate()) : (set.length - 1) / ENTRY;
    }

    static Sketch theta(byte[] thetaSet) {
        return Sketch.wrap(Memory.wrap(thetaSet).region(1, thetaSet.length - 1));
    }

    private static UpdateSketch sketchOf(long[] hashes, int n) {
        UpdateSketch sketch = UpdateSketch.builder().setNominalEntries(EXACT_LIMIT).build();
        for (int i = 0; i < n; i++) {
            sketch.update(hashes[i]);
        }
        return sketch;
    }

    private static byte[] withMode(byte mode, byte[] body) {
        byte[] out = new byte[body.length + 1];
        out[0] = mode;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    static Union newUnion() {
        return SetOperation.builder().setNominalEntries(EXACT_LIMIT).buildUnion();
    }

    /**
     * Merges many sets (buckets of a range, partitions, deltas), summing counts while every input is
     * exact; a member whose summed count is at or below zero is gone.
     */
    public static final class Merger {
        private long[] hashes = new long[16];
        private int[] counts = new int[16];
        private int size;
        private Union union;

        public Merger add(byte[] set) {
            if (isEmpty(set)) {
                return this;
            }
            if (set[0] == THETA) {
                toUnion().union(theta(set));
                return this;
            }
            int n = (set.length - 1) / ENTRY;
            ByteBuffer buf = ByteBuffer.wrap(set);
            if (union != null) {
                long[] more = new long[n];
                int m = 0;
                for (int i = 0; i < n; i++) {
                    if (buf.getInt(1 + i * ENTRY + 8) > 0) {
                        more[m++] = buf.getLong(1 + i * ENTRY);
                    }
                }
                union.union(sketchOf(more, m));
                return this;
            }
            if (size + n > hashes.length) {
                int capacity = Math.max(hashes.length * 2, size + n);
                hashes = Arrays.copyOf(hashes, capacity);
                counts = Arrays.copyOf(counts, capacity);
            }
            for (int i = 0; i < n; i++) {
                hashes[size] = buf.getLong(1 + i * ENTRY);
                counts[size++] = buf.getInt(1 + i * ENTRY + 8);
            }
            if (size >= 8 * EXACT_LIMIT) {
                combine();
            }
            return this;
        }

        /** Sorts and sums the entries; drops members whose count is not positive. */
        private void combine() {
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(hashes[a], hashes[b]));
            long[] h = new long[size];
            int[] c = new int[size];
            int n = 0;
            for (int k = 0; k < size; k++) {
                int i = order[k];
                if (n > 0 && h[n - 1] == hashes[i]) {
                    c[n - 1] += counts[i];
                } else {
                    h[n] = hashes[i];
                    c[n++] = counts[i];
                }
            }
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (c[i] > 0) {
                    h[m] = h[i];
                    c[m++] = c[i];
                }
            }
            hashes = h;
            counts = c;
            size = m;
        }

        private Union toUnion() {
            if (union == null) {
                combine();
                union = newUnion();
                union.union(sketchOf(hashes, size));
                hashes = new long[0];
                counts = new int[0];
                size = 0;
            }
            return union;
        }

        public Merged result() {
            if (union != null) {
                return new Merged(null, null, withMode(THETA, union.getResult().toByteArray()));
            }
            combine();
            if (size > EXACT_LIMIT) {
                toUnion();
                return result();
            }
            ByteBuffer out = ByteBuffer.allocate(1 + size * ENTRY);
            out.put(EXACT);
            for (int i = 0; i < size; i++) {
                out.putLong(hashes[i]).putInt(counts[i]);
            }
            return new Merged(Arrays.copyOf(hashes, size), Arrays.copyOf(counts, size), out.array());
        }
    }

    /**
     * A merged set: exact members and counts when {@code hashes} is not null, else only the
     * serialized sketch.
     */
    public record Merged(long[] hashes, int[] counts, byte[] serialized) {
        public boolean exact() {
            return hashes != null;
        }

        public long count() {
            return exact() ? hashes.length : VisitorSet.count(serialized);
        }

        /**
         * Members whose count is at least {@code min}. Exact for exact sets; a sketch keeps no
         * counts, so beyond the exact limit this is estimated as members counted more than once
         * by the inputs (input total minus distinct members), which assumes at most two per member.
         */
        public long countAtLeast(int min, long inputTotal) {
            if (exact()) {
                long n = 0;
                for (int c : counts) {
                    if (c >= min) {
                        n++;
                    }
                }
                return n;
            }
            return Math.max(0, inputTotal - count());
        }

        /** Members of both sets: exact when both are exact, a Theta intersection otherwise. */
        public long intersectCount(Merged other) {
            if (exact() && other.exact()) {
                long n = 0;
                int i = 0;
                int j = 0;
                while (i < hashes.length && j < other.hashes.length) {
                    int c = Long.compare(hashes[i], other.hashes[j]);
                    if (c == 0) {
                        n++;
                        i++;
                        j++;
                    } else if (c < 0) {
                        i++;
                    } else {
                        j++;
                    }
                }
                return n;
            }
            return Math.round(SetOperation.builder().buildIntersection().intersect(sketch(), other.sketch()).getEstimate());
        }

        private Sketch sketch() {
            if (!exact()) {
                return theta(serialized);
            }
            return sketchOf(hashes, hashes.length).compact();
        }
    }
}
