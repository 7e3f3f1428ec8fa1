package io.vantage.processor.rollup;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The additive aggregate of one rollup row, or of a change to it: event counts and the visitors
 * seen (counted by events), and session counts with the visitors who started them (counted by
 * sessions). A change may be negative: a session merged into another is taken back.
 */
public final class Rollup implements Counts {
    private static final byte FORMAT = 2;
    private static final int LONGS = RollupChange.FIELDS;

    /** events, pageviews, visits, bounces, durationMs, sessionEvents, sessionPageviews, conversions, conversionMs. */
    private final long[] n = new long[LONGS];
    private byte[] visitors = VisitorSet.empty();
    private byte[] starters = VisitorSet.empty();

    @Override
    public long count(int field) {
        return n[field];
    }

    /** All counts, in {@link RollupChange}'s field order. */
    public long[] counts() {
        return n.clone();
    }

    /** Visitors with events in the row (or in the row's visitor set: first seen, trait). */
    public byte[] visitors() {
        return visitors;
    }

    /** Visitors who started sessions in the row, counted by sessions. */
    public byte[] starters() {
        return starters;
    }

    /** Applies a change in place; a visitor whose count drops to zero leaves the set. */
    public Rollup apply(RollupChange change) {
        for (int i = 0; i < LONGS; i++) {
            n[i] += change.n[i];
        }
        // Visitors are a plain membership (events are never taken back); starters count sessions,
        // which merges take back.
        visitors = apply(visitors, change.visitors, false);
        starters = apply(starters, change.starters, true);
        return this;
    }

    private static byte[] apply(byte[] set, java.util.Map<Long, Integer> deltas, boolean counted) {
        for (java.util.Map.Entry<Long, Integer> d : deltas.entrySet()) {
            if (d.getValue() != 0) {
                set = counted ? VisitorSet.add(set, d.getKey(), d.getValue()) : VisitorSet.addMember(set, d.getKey(), d.getValue());
            }
        }
        return set;
    }

    /** A row with nothing left in it can be deleted. */
    public boolean isEmpty() {
        for (long v : n) {
            if (v != 0) {
                return false;
            }
        }
        return VisitorSet.isEmpty(visitors) && VisitorSet.isEmpty(starters);
    }

    public static Serde<Rollup> serde() {
        Serializer<Rollup> ser = (topic, r) -> {
            if (r == null) {
                return null;
            }
            ByteBuffer buf = ByteBuffer.allocate(1 + LONGS * 8 + 8 + r.visitors.length + r.starters.length);
            buf.put(FORMAT);
            for (long v : r.n) {
                buf.putLong(v);
            }
            buf.putInt(r.visitors.length).put(r.visitors).putInt(r.starters.length).put(r.starters);
            return buf.array();
        };
        Deserializer<Rollup> de = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            byte format = buf.get();
            if (format != FORMAT) {
                throw new IllegalStateException("unknown rollup format " + format);
            }
            Rollup r = new Rollup();
            for (int i = 0; i < LONGS; i++) {
                r.n[i] = buf.getLong();
            }
            r.visitors = new byte[buf.getInt()];
            buf.get(r.visitors);
            r.starters = new byte[buf.getInt()];
            buf.get(r.starters);
            return r;
        };
        return Serdes.serdeFrom(ser, de);
    }
}
