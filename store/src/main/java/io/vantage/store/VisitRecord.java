package io.vantage.store;

import io.vantage.model.codec.RecordReader;
import io.vantage.model.codec.RecordWriter;
import io.vantage.model.EventType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One visit (session) as stored: the visitor, whether it is the visitor's first visit, the facts
 * of its first event, and its counted events in order. Everything a query needs about a visit
 * follows from this one row: entry and exit page, bounce, duration, conversions, and which of its
 * events match an event filter, so any segment is one pass over the visits of its range.
 *
 * <p>Order (metrics.md): by {@code ts}; equal times keep the order received, so an event is
 * inserted after every event with the same time, and the first event (whose facts the visit
 * carries) only changes for a strictly earlier one.
 *
 * <p>Format, version 1: version byte, visitor (8 bytes), flags byte (bit 0: first visit), the
 * duration (end - start, a varint), the facts, the number of events, then per event the time as a
 * delta to the previous one, the type, page, name and properties; strings are written once per
 * record and referenced after that. The start is in the key. A reader can stop after the header
 * ({@link #view}): a query skips a visit outside its range or failing a visit filter without
 * decoding its events.
 */
public final class VisitRecord {
    public static final int VERSION = 1;
    private static final EventType[] TYPES = EventType.values();

    private final long visitor;
    private final boolean firstVisit;
    private final VisitFacts facts;
    private final List<VisitEvent> events;

    public VisitRecord(long visitor, boolean firstVisit, VisitFacts facts, List<VisitEvent> events) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a visit has at least one event");
        }
        this.visitor = visitor;
        this.firstVisit = firstVisit;
        this.facts = facts;
        this.events = Collections.unmodifiableList(events);
    }

    /** A visit of one event. */
    public static VisitRecord of(long visitor, VisitFacts facts, VisitEvent event) {
        List<VisitEvent> one = new ArrayList<>(1);
        one.add(event);
        return new VisitRecord(visitor, false, facts, one);
    }

    public long visitor() {
        return visitor;
    }

    public boolean firstVisit() {
        return firstVisit;
    }

    public VisitFacts facts() {
        return facts;
    }

    /** The events in order, unmodifiable. */
    public List<VisitEvent> events() {
        return events;
    }

    public long start() {
        return events.get(0).ts();
    }

    public long end() {
        return events.get(events.size() - 1).ts();
    }

    /** This visit with one more event, received after all it holds; its facts become the visit's when it is now the first. */
    public VisitRecord with(VisitEvent e, VisitFacts eventFacts) {
        List<VisitEvent> list = new ArrayList<>(events.size() + 1);
        list.addAll(events);
        int at = list.size();
        while (at > 0 && list.get(at - 1).ts() > e.ts()) {
            at--;
        }
        list.add(at, e);
        return new VisitRecord(visitor, firstVisit, at == 0 ? eventFacts : facts, list);
    }

    /** This visit joined with another of the same visitor that does not overlap it in time. */
    public VisitRecord merge(VisitRecord other) {
        VisitRecord early = other.start() < start() ? other : this;
        VisitRecord late = early == this ? other : this;
        List<VisitEvent> list = new ArrayList<>(events.size() + other.events.size());
        list.addAll(early.events);
        list.addAll(late.events);
        if (list.get(early.events.size()).ts() < early.end()) {
            list.sort((a, b) -> Long.compare(a.ts(), b.ts()));
        }
        return new VisitRecord(visitor, firstVisit || other.firstVisit, early.facts, list);
    }

    public VisitRecord withFirstVisit(boolean first) {
        return first == firstVisit ? this : new VisitRecord(visitor, first, facts, events);
    }

    public byte[] encode() {
        RecordWriter w = new RecordWriter(64 + events.size() * 12);
        w.u8(VERSION).i64(visitor).u8(firstVisit ? 1 : 0).varint(end() - start());
        facts.writeTo(w);
        w.varint(events.size());
        long prev = start();
        for (VisitEvent e : events) {
            w.varint(e.ts() - prev).u8(e.type().ordinal()).ref(e.page()).ref(e.name()).varint(e.props().size());
            prev = e.ts();
            for (Map.Entry<String, String> p : e.props().entrySet()) {
                w.ref(p.getKey()).ref(p.getValue());
            }
        }
        return w.toBytes();
    }

    /** A record read from its bytes and the start held in its key. */
    public static VisitRecord decode(byte[] bytes, long start) {
        return view(bytes, start).record();
    }

    /** The header of a record (visitor, flag, end, facts); its events are decoded when asked for. */
    public static View view(byte[] bytes, long start) {
        return new View(bytes, start);
    }

    /** A record read up to its facts. */
    public static final class View {
        private final RecordReader r;
        private final long start;
        private final long end;
        private final long visitor;
        private final boolean first;
        private VisitFacts facts;
        private VisitRecord record;

        private View(byte[] bytes, long start) {
            this.r = new RecordReader(bytes);
            int version = r.u8();
            if (version != VERSION) {
                throw new IllegalArgumentException("visit record version " + version + ", this build reads " + VERSION);
            }
            this.start = start;
            this.visitor = r.i64();
            this.first = (r.u8() & 1) != 0;
            this.end = start + r.varint();
        }

        public long start() {
            return start;
        }

        public long end() {
            return end;
        }

        public long visitor() {
            return visitor;
        }

        public boolean firstVisit() {
            return first;
        }

        public VisitFacts facts() {
            if (facts == null) {
                facts = VisitFacts.readFrom(r);
            }
            return facts;
        }

        /** The whole record, events included. */
        public VisitRecord record() {
            if (record == null) {
                VisitFacts f = facts();
                int n = (int) r.varint();
                List<VisitEvent> list = new ArrayList<>(n);
                long ts = start;
                for (int i = 0; i < n; i++) {
                    ts += r.varint();
                    EventType type = TYPES[r.u8()];
                    String page = r.ref();
                    String name = r.ref();
                    int np = (int) r.varint();
                    Map<String, String> props = Map.of();
                    if (np > 0) {
                        TreeMap<String, String> m = new TreeMap<>();
                        for (int j = 0; j < np; j++) {
                            m.put(r.ref(), r.ref());
                        }
                        props = m;
                    }
                    list.add(new VisitEvent(ts, type, page, name, props));
                }
                record = new VisitRecord(visitor, first, f, list);
            }
            return record;
        }
    }
}
