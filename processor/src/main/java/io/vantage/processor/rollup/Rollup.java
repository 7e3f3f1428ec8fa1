package io.vantage.processor.rollup;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The additive aggregate of one rollup row (or of many, merged): event counts and the set of
 * visitors seen. Mutable on purpose: the rollup processor and the query merge update it in place.
 */
public final class Rollup {
    private static final byte FORMAT = 1;

    private long events;
    private long pageviews;
    private byte[] visitors = VisitorSet.empty();

    public long events() {
        return events;
    }

    public long pageviews() {
        return pageviews;
    }

    public byte[] visitors() {
        return visitors;
    }

    /** Counts one event of a visitor. */
    public Rollup addEvent(boolean pageview, long visitorHash) {
        events++;
        if (pageview) {
            pageviews++;
        }
        visitors = VisitorSet.add(visitors, visitorHash);
        return this;
    }

    public Rollup set(long events, long pageviews, byte[] visitors) {
        this.events = events;
        this.pageviews = pageviews;
        this.visitors = visitors;
        return this;
    }

    public static Serde<Rollup> serde() {
        Serializer<Rollup> ser = (topic, r) -> {
            if (r == null) {
                return null;
            }
            ByteBuffer buf = ByteBuffer.allocate(1 + 8 + 8 + 4 + r.visitors.length);
            buf.put(FORMAT).putLong(r.events).putLong(r.pageviews).putInt(r.visitors.length).put(r.visitors);
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
            long events = buf.getLong();
            long pageviews = buf.getLong();
            byte[] visitors = new byte[buf.getInt()];
            buf.get(visitors);
            return new Rollup().set(events, pageviews, visitors);
        };
        return Serdes.serdeFrom(ser, de);
    }
}
