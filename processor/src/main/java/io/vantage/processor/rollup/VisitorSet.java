package io.vantage.processor.rollup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    /** A sketch of the first {@code n} hashes ({@code n} &lt; 0: all of them). */
    private static UpdateSketch sketchOf(long[] hashes, int n) {
        UpdateSketch sketch = UpdateSketch.builder().setNominalEntries(EXACT_LIMIT).build();
        for (int i = 0, end = n < 0 ? hashes.length : n; i < end; i++) {
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
     * exact; a member whose summed count is at or below zero is gone. Exact inputs are sorted runs,
     * merged pairwise in linear passes, so no sort is needed.
     */
    public static final class Merger {
        private final List<long[]> runHashes = new ArrayList<>();
        private final List<int[]> runCounts = new ArrayList<>();
        private long pending;
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
            long[] h = new long[n];
            int[] c = new int[n];
            ByteBuffer buf = ByteBuffer.wrap(set);
            for (int i = 0; i < n; i++) {
                h[i] = buf.getLong(1 + i * ENTRY);
                c[i] = buf.getInt(1 + i * ENTRY + 8);
            }
            if (union != null) {
                union.union(sketchOf(positives(h, c), -1));
                return this;
            }
            runHashes.add(h);
            runCounts.add(c);
            pending += n;
            // Keep run sizes at least doubling down the stack (as merge sort does): O(n log n) in all.
            while (runHashes.size() >= 2 && runHashes.get(runHashes.size() - 2).length <= 2 * runHashes.get(runHashes.size() - 1).length) {
                int last = runHashes.size() - 1;
                List<long[]> h2 = new ArrayList<>(1);
                List<int[]> c2 = new ArrayList<>(1);
                mergeInto(runHashes.get(last - 1), runCounts.get(last - 1), runHashes.get(last), runCounts.get(last), h2, c2);
                runHashes.remove(last);
                runCounts.remove(last);
                runHashes.set(last - 1, h2.get(0));
                runCounts.set(last - 1, c2.get(0));
            }
            if (runHashes.get(0).length > 4 * EXACT_LIMIT) {
                toUnion();
            }
            return this;
        }

        /** Merges all runs into one, summing counts of equal members. */
        private void collapse() {
            while (runHashes.size() > 1) {
                List<long[]> h = new ArrayList<>();
                List<int[]> c = new ArrayList<>();
                for (int i = 0; i < runHashes.size(); i += 2) {
                    if (i + 1 == runHashes.size()) {
                        h.add(runHashes.get(i));
                        c.add(runCounts.get(i));
                    } else {
                        mergeInto(runHashes.get(i), runCounts.get(i), runHashes.get(i + 1), runCounts.get(i + 1), h, c);
                    }
                }
                runHashes.clear();
                runHashes.addAll(h);
                runCounts.clear();
                runCounts.addAll(c);
            }
            pending = runHashes.isEmpty() ? 0 : runHashes.get(0).length;
        }

        private static void mergeInto(long[] ah, int[] ac, long[] bh, int[] bc, List<long[]> outH, List<int[]> outC) {
            long[] h = new long[ah.length + bh.length];
            int[] c = new int[h.length];
            int i = 0;
            int j = 0;
            int n = 0;
            while (i < ah.length || j < bh.length) {
                if (j == bh.length || (i < ah.length && ah[i] < bh[j])) {
                    h[n] = ah[i];
                    c[n++] = ac[i++];
                } else if (i == ah.length || bh[j] < ah[i]) {
                    h[n] = bh[j];
                    c[n++] = bc[j++];
                } else {
                    h[n] = ah[i];
                    c[n++] = ac[i++] + bc[j++];
                }
            }
            outH.add(Arrays.copyOf(h, n));
            outC.add(Arrays.copyOf(c, n));
        }

        private static long[] positives(long[] h, int[] c) {
            int m = 0;
            long[] out = new long[h.length];
            for (int i = 0; i < h.length; i++) {
                if (c[i] > 0) {
                    out[m++] = h[i];
                }
            }
            return Arrays.copyOf(out, m);
        }

        private Union toUnion() {
            if (union == null) {
                collapse();
                union = newUnion();
                if (!runHashes.isEmpty()) {
                    union.union(sketchOf(positives(runHashes.get(0), runCounts.get(0)), -1));
                }
                runHashes.clear();
                runCounts.clear();
                pending = 0;
            }
            return union;
        }

        public Merged result() {
            if (union != null) {
                return new Merged(null, null, withMode(THETA, union.getResult().toByteArray()));
            }
            collapse();
            long[] h = runHashes.isEmpty() ? new long[0] : runHashes.get(0);
            int[] c = runCounts.isEmpty() ? new int[0] : runCounts.get(0);
            int m = 0;
            long[] hashes = new long[h.length];
            int[] counts = new int[h.length];
            for (int i = 0; i < h.length; i++) {
                if (c[i] > 0) {
                    hashes[m] = h[i];
                    counts[m++] = c[i];
                }
            }
            if (m > EXACT_LIMIT) {
                toUnion();
                return result();
            }
            ByteBuffer out = ByteBuffer.allocate(1 + m * ENTRY);
            out.put(EXACT);
            for (int i = 0; i < m; i++) {
                out.putLong(hashes[i]).putInt(counts[i]);
            }
            return new Merged(Arrays.copyOf(hashes, m), Arrays.copyOf(counts, m), out.array());
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
