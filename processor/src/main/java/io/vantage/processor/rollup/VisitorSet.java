package io.vantage.processor.rollup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.datasketches.hash.MurmurHash3;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.theta.CompactSketch;
import org.apache.datasketches.theta.SetOperation;
import org.apache.datasketches.theta.Sketch;
import org.apache.datasketches.theta.Union;
import org.apache.datasketches.theta.UpdateSketch;

/**
 * A mergeable set of visitors: exact (a sorted array of 64-bit visitor hashes) up to
 * {@link #EXACT_LIMIT} members, a Theta sketch of nominal size {@link #EXACT_LIMIT} beyond.
 *
 * <p>metrics.md asks distinct counts to be exact up to 16,384 visitors and within 2% beyond,
 * with unions and intersections over ranges: exact arrays give the first, Theta the rest
 * (its relative standard error at k = 16,384 is under 0.8%). Items fed to the sketch are the
 * same 64-bit hashes, so an exact set converts into a sketch losslessly.
 *
 * <p>Serialized form: a mode byte, then either the sorted hashes (8 bytes each, big-endian)
 * or a compact Theta sketch. The membership test runs on the serialized bytes, so the common
 * case of an already counted visitor costs a binary search and no allocation.
 */
public final class VisitorSet {
    public static final int EXACT_LIMIT = 16_384;
    private static final byte EXACT = 0;
    private static final byte THETA = 1;
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

    /** Returns the set with {@code visitorHash} added: the same array when it was a member already. */
    public static byte[] add(byte[] set, long visitorHash) {
        if (set == null || set.length == 0) {
            set = EMPTY;
        }
        if (set[0] == THETA) {
            UpdateSketch sketch = UpdateSketch.builder().setNominalEntries(EXACT_LIMIT).build();
            sketch.update(visitorHash);
            Union union = newUnion();
            union.union(theta(set));
            union.union(sketch);
            return withMode(THETA, union.getResult().toByteArray());
        }
        int n = (set.length - 1) / 8;
        ByteBuffer buf = ByteBuffer.wrap(set);
        int lo = 0;
        int hi = n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = buf.getLong(1 + mid * 8);
            if (v < visitorHash) {
                lo = mid + 1;
            } else if (v > visitorHash) {
                hi = mid - 1;
            } else {
                return set;
            }
        }
        if (n >= EXACT_LIMIT) {
            long[] all = Arrays.copyOf(hashes(set), n + 1);
            all[n] = visitorHash;
            return toTheta(all);
        }
        byte[] out = new byte[set.length + 8];
        out[0] = EXACT;
        System.arraycopy(set, 1, out, 1, lo * 8);
        ByteBuffer.wrap(out).putLong(1 + lo * 8, visitorHash);
        System.arraycopy(set, 1 + lo * 8, out, 1 + (lo + 1) * 8, (n - lo) * 8);
        return out;
    }

    /** The number of members: exact in exact mode, the Theta estimate beyond. */
    public static long count(byte[] set) {
        if (set == null || set.length == 0) {
            return 0;
        }
        if (set[0] == THETA) {
            return Math.round(theta(set).getEstimate());
        }
        return (set.length - 1) / 8;
    }

    private static long[] hashes(byte[] exactSet) {
        int n = (exactSet.length - 1) / 8;
        long[] out = new long[n];
        ByteBuffer.wrap(exactSet, 1, n * 8).asLongBuffer().get(out);
        return out;
    }

    static Sketch theta(byte[] thetaSet) {
        return Sketch.wrap(Memory.wrap(thetaSet).region(1, thetaSet.length - 1));
    }

    private static byte[] toTheta(long[] hashes) {
        UpdateSketch sketch = UpdateSketch.builder().setNominalEntries(EXACT_LIMIT).build();
        for (long h : hashes) {
            sketch.update(h);
        }
        return withMode(THETA, sketch.compact().toByteArray());
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
     * Accumulates the union of many sets (a range of buckets, several partitions), exact while the
     * union holds at most {@link #EXACT_LIMIT} members.
     */
    public static final class Merger {
        private long[] exact = new long[16];
        private int size;
        private Union union;

        public Merger add(byte[] set) {
            if (set == null || set.length <= 1) {
                return this;
            }
            if (set[0] == THETA) {
                toUnion().union(theta(set));
                return this;
            }
            long[] more = hashes(set);
            if (union != null) {
                UpdateSketch sketch = UpdateSketch.builder().setNominalEntries(EXACT_LIMIT).build();
                for (long h : more) {
                    sketch.update(h);
                }
                union.union(sketch);
                return this;
            }
            if (size + more.length > exact.length) {
                exact = Arrays.copyOf(exact, Math.max(exact.length * 2, size + more.length));
            }
            System.arraycopy(more, 0, exact, size, more.length);
            size += more.length;
            compactIfLarge();
            return this;
        }

        private void compactIfLarge() {
            if (size < 4 * EXACT_LIMIT) {
                return;
            }
            size = sortUnique();
            if (size > EXACT_LIMIT) {
                toUnion();
            }
        }

        private int sortUnique() {
            Arrays.sort(exact, 0, size);
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (n == 0 || exact[n - 1] != exact[i]) {
                    exact[n++] = exact[i];
                }
            }
            return n;
        }

        private Union toUnion() {
            if (union == null) {
                union = newUnion();
                size = sortUnique();
                UpdateSketch sketch = UpdateSketch.builder().setNominalEntries(EXACT_LIMIT).build();
                for (int i = 0; i < size; i++) {
                    sketch.update(exact[i]);
                }
                union.union(sketch);
                exact = new long[0];
                size = 0;
            }
            return union;
        }

        /** The merged set in serialized form, exact when it fits. */
        public byte[] result() {
            if (union != null) {
                CompactSketch sketch = union.getResult();
                return withMode(THETA, sketch.toByteArray());
            }
            size = sortUnique();
            if (size > EXACT_LIMIT) {
                toUnion();
                return result();
            }
            ByteBuffer out = ByteBuffer.allocate(1 + size * 8);
            out.put(EXACT);
            for (int i = 0; i < size; i++) {
                out.putLong(exact[i]);
            }
            return out.array();
        }

        public long count() {
            return VisitorSet.count(result());
        }
    }
}
