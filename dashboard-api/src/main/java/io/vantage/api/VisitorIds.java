package io.vantage.api;

import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;

/**
 * Dense numbers for one partition's visitors, given in the order they are first seen by a summary,
 * so that visitor sets are 32-bit Roaring bitmaps (a few bits per visitor once numbers cluster)
 * instead of sets of 64-bit hashes. A number is never reused: a visitor erased and then seen again
 * keeps it, which changes no count because the bitmaps are rebuilt from the stored visits. The map
 * lives in memory only, is never written anywhere, and holds hashes linked to nothing else once
 * their visits are gone; a restart clears it.
 */
final class VisitorIds {
    private final Long2IntOpenHashMap ids = new Long2IntOpenHashMap();

    VisitorIds() {
        ids.defaultReturnValue(-1);
    }

    synchronized int id(long visitorHash) {
        int id = ids.get(visitorHash);
        if (id < 0) {
            id = ids.size();
            ids.put(visitorHash, id);
        }
        return id;
    }

    /** The numbers of many visitors at once, into {@code out}. */
    synchronized void ids(long[] visitorHashes, int[] out) {
        for (int i = 0; i < visitorHashes.length; i++) {
            out[i] = id(visitorHashes[i]);
        }
    }

    synchronized int size() {
        return ids.size();
    }
}
