package io.vantage.profiler;

import io.vantage.model.codec.RecordReader;
import io.vantage.model.codec.RecordWriter;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The binary format of a {@link VisitorProfile} (version 2: version 1 and the count of dropped traits; version 1 is still read), read and written once per event: times
 * as 8 bytes (they hold the open-ended sentinels), counts as varints, strings once per record.
 */
final class ProfileCodec {
    static final int VERSION = 2;

    private ProfileCodec() {
    }

    static Serde<VisitorProfile> serde() {
        Serializer<VisitorProfile> ser = (topic, p) -> p == null ? null : encode(p);
        Deserializer<VisitorProfile> de = (topic, b) -> b == null ? null : decode(b);
        return Serdes.serdeFrom(ser, de);
    }

    static byte[] encode(VisitorProfile p) {
        RecordWriter w = new RecordWriter(128);
        w.u8(VERSION).ref(p.site()).ref(p.visitorId())
                .i64(p.firstSeen()).i64(p.lastSeen()).ref(p.firstPage()).i64(p.firstPageTs()).ref(p.lastPage()).i64(p.lastPageTs())
                .varint(p.events()).varint(p.pageviews()).varint(p.visits()).varint(p.conversions())
                .i64(p.latestVisitStart()).i64(p.latestVisitEnd()).ref(p.latestVisitFirstPage()).ref(p.latestVisitLastPage())
                .varint(p.traits().size());
        for (Map.Entry<String, String> t : p.traits().entrySet()) {
            w.ref(t.getKey()).ref(t.getValue()).i64(p.traitTimes().getOrDefault(t.getKey(), Long.MIN_VALUE));
        }
        w.varint(p.traitsDropped());
        return w.toBytes();
    }

    static VisitorProfile decode(byte[] bytes) {
        RecordReader r = new RecordReader(bytes);
        int version = r.u8();
        if (version != VERSION && version != 1) {
            throw new IllegalArgumentException("visitor profile version " + version + ", this build reads " + VERSION);
        }
        String site = r.ref();
        String visitor = r.ref();
        long firstSeen = r.i64();
        long lastSeen = r.i64();
        String firstPage = r.ref();
        long firstPageTs = r.i64();
        String lastPage = r.ref();
        long lastPageTs = r.i64();
        long events = r.varint();
        long pageviews = r.varint();
        long visits = r.varint();
        long conversions = r.varint();
        long latestStart = r.i64();
        long latestEnd = r.i64();
        String latestFirst = r.ref();
        String latestLast = r.ref();
        int n = (int) r.varint();
        Map<String, String> traits = Map.of();
        Map<String, Long> times = Map.of();
        if (n > 0) {
            TreeMap<String, String> t = new TreeMap<>();
            TreeMap<String, Long> tt = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                String name = r.ref();
                t.put(name, r.ref());
                tt.put(name, r.i64());
            }
            traits = t;
            times = tt;
        }
        long dropped = version >= 2 ? r.varint() : 0;
        return new VisitorProfile(site, visitor, firstSeen, lastSeen, firstPage, firstPageTs, lastPage, lastPageTs, events, pageviews,
                traits, times, visits, conversions, latestStart, latestEnd, latestFirst, latestLast, dropped);
    }
}
