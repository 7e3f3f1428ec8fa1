package io.vantage.processor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The visit starts of the visitors a task saw lately, as its visitor-sessions store holds them:
 * an event earlier than its visitor's latest visit (a late beacon, an import out of order) looks
 * for the visits it joins, and a range read of that store through its record cache cost a sixth of
 * the stream thread on input shuffled within days. Kept exact by the visit processor, which writes
 * the store and updates an entry with each write; emptied whenever something else deletes from the
 * store (an erasure, the retention sweep) and at every start of the task. A visitor not here is read
 * from the store once.
 */
final class VisitStarts {
    private final Map<String, long[]> starts;

    VisitStarts(int capacity) {
        this.starts = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The visitor's visit starts in ascending order, or null when not kept. */
    long[] get(String visitor) {
        return starts.get(visitor);
    }

    /** Keeps {@code sorted}, every visit start of the visitor in ascending order. */
    void put(String visitor, long[] sorted) {
        starts.put(visitor, sorted);
    }

    /** The visitor's visits starting at {@code removed} were deleted and one at {@code added} written (MIN_VALUE: none); only a kept entry changes. */
    void update(String visitor, List<Long> removed, long added) {
        long[] s = starts.get(visitor);
        if (s == null) {
            return;
        }
        long[] out = new long[s.length + 1];
        int n = 0;
        for (long start : s) {
            if (!removed.contains(start)) {
                out[n++] = start;
            }
        }
        if (added != Long.MIN_VALUE && Arrays.binarySearch(out, 0, n, added) < 0) {
            out[n++] = added;
            Arrays.sort(out, 0, n);
        }
        starts.put(visitor, Arrays.copyOf(out, n));
    }

    void clear() {
        starts.clear();
    }

    /** The index of the first start at or after {@code from}. */
    static int firstAtOrAfter(long[] sorted, long from) {
        int i = Arrays.binarySearch(sorted, from);
        return i >= 0 ? i : -i - 1;
    }
}
