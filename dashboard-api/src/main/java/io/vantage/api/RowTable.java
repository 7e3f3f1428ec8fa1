package io.vantage.api;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/**
 * Rows by key, for the passes of a query over many rows (a month of pages is thousands of rows in
 * each of 30 days' cells): entries in dense arrays in the order they came, each with its key's hash,
 * found through an open-addressing index. A pass over a table is a walk over arrays, and a key
 * taken from another table (or from a {@link Flat} of cells) is looked up with the hash it carries,
 * compared by identity first: the pre-aggregates' keys are canonical ({@link Summaries#canonical}),
 * so a lookup rarely hashes or compares a list.
 */
final class RowTable<V> {
    private List<String>[] keys;
    private int[] hashes;
    private Object[] values;
    private int size;
    /** Dense index + 1 of the entry in each slot; 0 is an empty slot. */
    private int[] slots;

    @SuppressWarnings("unchecked")
    RowTable(int expected) {
        int capacity = Math.max(8, expected);
        keys = new List[capacity];
        hashes = new int[capacity];
        values = new Object[capacity];
        slots = new int[slotsFor(capacity)];
    }

    private static int slotsFor(int entries) {
        return Integer.highestOneBit(Math.max(4, entries) * 2 - 1) << 1;
    }

    int size() {
        return size;
    }

    List<String> key(int i) {
        return keys[i];
    }

    int hash(int i) {
        return hashes[i];
    }

    @SuppressWarnings("unchecked")
    V value(int i) {
        return (V) values[i];
    }

    /** Empties the table for another pass, keeping its arrays (a query's scratch is reused, not reallocated). */
    void clear() {
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(values, 0, size, null);
        Arrays.fill(slots, 0);
        size = 0;
    }

    /** The entries the table holds without growing. */
    int capacity() {
        return keys.length;
    }

    void setValue(int i, V value) {
        values[i] = value;
    }

    /** The dense index of {@code key} (whose {@code hashCode()} is {@code hash}), or -1. */
    int indexOf(List<String> key, int hash) {
        int mask = slots.length - 1;
        for (int s = mix(hash) & mask; ; s = (s + 1) & mask) {
            int e = slots[s] - 1;
            if (e < 0) {
                return -1;
            }
            List<String> k = keys[e];
            if (k == key || hashes[e] == hash && k.equals(key)) {
                return e;
            }
        }
    }

    V get(List<String> key, int hash) {
        int i = indexOf(key, hash);
        return i < 0 ? null : value(i);
    }

    /** Adds a key that is not in the table yet; its dense index. */
    int add(List<String> key, int hash, V value) {
        if (size == keys.length) {
            int capacity = size * 2;
            keys = Arrays.copyOf(keys, capacity);
            hashes = Arrays.copyOf(hashes, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        if ((size + 1) * 2 > slots.length) {
            slots = new int[slots.length * 2];
            for (int i = 0; i < size; i++) {
                place(i);
            }
        }
        keys[size] = key;
        hashes[size] = hash;
        values[size] = value;
        place(size);
        return size++;
    }

    private void place(int i) {
        int mask = slots.length - 1;
        int s = mix(hashes[i]) & mask;
        while (slots[s] != 0) {
            s = (s + 1) & mask;
        }
        slots[s] = i + 1;
    }

    /** Spreads a list's hash (a sum of products, weak in its low bits) over the slots. */
    private static int mix(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /**
     * A map's cells as arrays, with their keys' hashes, computed once when a day or week is built
     * so that every query that reads it walks arrays: the counts of cell {@code j} at {@code
     * j * COUNTS} of one array, its visitors and their number beside it. A month of pages is tens
     * of thousands of cells per partition, and reading each from its own objects was most of such a
     * query's time.
     */
    record Flat(List<String>[] keys, int[] hashes, SummaryCell[] cells, long[] counts, RoaringBitmap[] visitors, long[] visitorCounts) {
        @SuppressWarnings("unchecked")
        static Flat of(Map<List<String>, SummaryCell> map) {
            int n = map.size();
            List<String>[] keys = new List[n];
            int[] hashes = new int[n];
            SummaryCell[] cells = new SummaryCell[n];
            long[] counts = new long[n * Partial.COUNTS];
            RoaringBitmap[] visitors = new RoaringBitmap[n];
            long[] visitorCounts = new long[n];
            int i = 0;
            for (Map.Entry<List<String>, SummaryCell> e : map.entrySet()) {
                SummaryCell c = e.getValue();
                keys[i] = e.getKey();
                hashes[i] = e.getKey().hashCode();
                cells[i] = c;
                System.arraycopy(c.counts, 0, counts, i * Partial.COUNTS, Partial.COUNTS);
                visitors[i] = c.visitors;
                visitorCounts[i] = c.visitorCount();
                i++;
            }
            return new Flat(keys, hashes, cells, counts, visitors, visitorCounts);
        }

        int size() {
            return keys.length;
        }

        /** The heap the arrays add to the cells they point to. */
        long bytes() {
            return (24L + 8L * Partial.COUNTS) * keys.length + 96;
        }
    }
}
