package io.vantage.store;

import io.vantage.model.codec.RecordReader;
import io.vantage.model.codec.RecordWriter;
import io.vantage.model.EventType;
import java.util.ArrayList;
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
 * <p>Format, version 3: version byte, visitor (8 bytes), flags byte (bit 0: first visit; bit 1:
 * some events were stored before visits kept ids, see {@link #idsUnknown}), the duration (end -
 * start, a varint), the number of events, the facts, then per event the time as a delta to the
 * previous one, the type (its top bit set when an id follows), the id (8 bytes, only when it has
 * one), page, name and properties; strings are written once per record and referenced after that.
 * (Versions 2 and 1, still read, kept no ids; version 1 had the number after the facts.) The
 * facts and events are one run of bytes, so a visit that grows at its end (in-order traffic)
 * appends its new event to the bytes of its previous version instead of encoding every event
 * again: writing a visit of n events costs O(1) encoding per event, not O(n). The start is in the key. A reader can stop after the header
 * ({@link #view}): a query skips a visit outside its range or failing a visit filter without
 * decoding its events.
 */
public final class VisitRecord {
    public static final int VERSION = 3;
    private static final int FIRST_VISIT = 1;
    private static final int IDS_UNKNOWN = 2;
    private static final int HAS_ID = 0x80;
    /** Up to this many events, a visit is searched for an id event by event; a longer one gets an {@link IdIndex}. */
    private static final int SCANNED = 32;
    private static final EventType[] TYPES = EventType.values();

    static {
        if (TYPES.length > 0x80) {
            throw new IllegalStateException("a type byte holds 128 event types and a flag; there are " + TYPES.length);
        }
    }

    private final long visitor;
    private final boolean firstVisit;
    private final boolean idsUnknown;
    private final VisitFacts facts;
    private final List<VisitEvent> events;
    // Facts and events encoded, shared along a chain of versions that each appended one event: a
    // version owns the first `bodyLength` bytes and the first `events.size()` events, and only the
    // newest (the one whose lengths are the shared ones) may append.
    private final ArrayList<VisitEvent> shared;
    private RecordWriter body;
    private int bodyLength;
    // Whether an event converts for the goals list `convertsFor` (compared by identity: a site's
    // list), remembered so that a visit that grows one event at a time is not read whole per event.
    // A memo of the processor's stream thread, which alone holds these objects.
    private List<String> convertsFor;
    private boolean converts;
    // Where each id is in `shared`, for a long visit; shared along the chain like the body (built by
    // the first version asked, then kept up to date by the appends of the versions after it).
    private IdIndex ids;

    public VisitRecord(long visitor, boolean firstVisit, VisitFacts facts, List<VisitEvent> events) {
        this(visitor, firstVisit, false, facts, events);
    }

    /** @param idsUnknown whether some of the events were stored before visits kept ids ({@link #idsUnknown}) */
    public VisitRecord(long visitor, boolean firstVisit, boolean idsUnknown, VisitFacts facts, List<VisitEvent> events) {
        this(visitor, firstVisit, idsUnknown, facts, new ArrayList<>(events), events.size(), null, 0);
    }

    private VisitRecord(long visitor, boolean firstVisit, boolean idsUnknown, VisitFacts facts, ArrayList<VisitEvent> shared,
                        int count, RecordWriter body, int bodyLength) {
        if (count == 0) {
            throw new IllegalArgumentException("a visit has at least one event");
        }
        this.visitor = visitor;
        this.firstVisit = firstVisit;
        this.idsUnknown = idsUnknown;
        this.facts = facts;
        this.shared = shared;
        this.events = new Prefix(shared, count);
        this.body = body;
        this.bodyLength = bodyLength;
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

    /**
     * Whether some of the events were stored before visits kept their ids (a row of version 1 or 2,
     * or a visit that grew from one): their repeats cannot be recognized from this visit alone.
     */
    public boolean idsUnknown() {
        return idsUnknown;
    }

    /** Whether one of the events has the id {@code id} ({@link VisitEvent#idOf}); never for 0. */
    public boolean holdsId(long id) {
        if (id == 0) {
            return false;
        }
        int n = events.size();
        if (n <= SCANNED) {
            for (int i = n - 1; i >= 0; i--) {
                if (events.get(i).id() == id) {
                    return true;
                }
            }
            return false;
        }
        if (ids == null) {
            ids = new IdIndex(events);
        }
        int at = ids.position(id);
        return at >= 0 && at < n;
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

    /** Whether one of the visit's events is a conversion for {@code goals} (a form sent, or a custom event named as a goal). */
    public boolean converts(List<String> goals) {
        if (convertsFor != goals) {
            boolean any = false;
            for (VisitEvent e : events) {
                if (e.isConversion(goals)) {
                    any = true;
                    break;
                }
            }
            converts = any;
            convertsFor = goals;
        }
        return converts;
    }

    /** This visit with one more event, received after all it holds; its facts become the visit's when it is now the first. */
    public VisitRecord with(VisitEvent e, VisitFacts eventFacts) {
        VisitRecord out = withEvent(e, eventFacts);
        if (convertsFor != null) {
            out.convertsFor = convertsFor;
            out.converts = converts || e.isConversion(convertsFor);
        }
        return out;
    }

    private VisitRecord withEvent(VisitEvent e, VisitFacts eventFacts) {
        int n = events.size();
        if (shared.size() == n && e.ts() >= end()) {
            // At the end, and this is the newest version: append to what it shares.
            shared.add(e);
            if (ids != null) {
                ids.add(e.id(), n);
            }
            RecordWriter b = body;
            int length = 0;
            if (b != null && b.size() == bodyLength) {
                writeEvent(b, e, events.get(n - 1).ts());
                length = b.size();
            } else {
                b = null;
            }
            VisitRecord out = new VisitRecord(visitor, firstVisit, idsUnknown, facts, shared, n + 1, b, length);
            out.ids = ids;
            return out;
        }
        List<VisitEvent> list = new ArrayList<>(events.size() + 1);
        list.addAll(events);
        int at = list.size();
        while (at > 0 && list.get(at - 1).ts() > e.ts()) {
            at--;
        }
        list.add(at, e);
        return new VisitRecord(visitor, firstVisit, idsUnknown, at == 0 ? eventFacts : facts, list);
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
        return new VisitRecord(visitor, firstVisit || other.firstVisit, idsUnknown || other.idsUnknown, early.facts, list);
    }

    public VisitRecord withFirstVisit(boolean first) {
        // Shares the encoded body (same facts and events); the flag is in the header.
        if (first == firstVisit) {
            return this;
        }
        VisitRecord out = new VisitRecord(visitor, first, idsUnknown, facts, shared, events.size(), body, bodyLength);
        out.ids = ids;
        out.convertsFor = convertsFor;
        out.converts = converts;
        return out;
    }

    public byte[] encode() {
        if (body == null || body.size() < bodyLength) {
            RecordWriter b = new RecordWriter(32 + events.size() * 12);
            facts.writeTo(b);
            long prev = start();
            for (VisitEvent e : events) {
                writeEvent(b, e, prev);
                prev = e.ts();
            }
            body = b;
            bodyLength = b.size();
        }
        int flags = (firstVisit ? FIRST_VISIT : 0) | (idsUnknown ? IDS_UNKNOWN : 0);
        return new RecordWriter(24 + bodyLength).u8(VERSION).i64(visitor).u8(flags).varint(end() - start())
                .varint(events.size()).raw(body, bodyLength).toBytes();
    }

    private static void writeEvent(RecordWriter w, VisitEvent e, long prev) {
        w.varint(e.ts() - prev);
        if (e.id() != 0) {
            w.u8(e.type().ordinal() | HAS_ID).i64(e.id());
        } else {
            w.u8(e.type().ordinal());
        }
        w.ref(e.page()).ref(e.name()).varint(e.props().size());
        for (Map.Entry<String, String> p : e.props().entrySet()) {
            w.ref(p.getKey()).ref(p.getValue());
        }
    }

    /** Where each id is among a visit's events: open addressing over the ids (0 is no id and is not kept). */
    private static final class IdIndex {
        private long[] keys;
        private int[] positions;
        private int size;

        IdIndex(List<VisitEvent> events) {
            int capacity = Integer.highestOneBit(Math.max(16, events.size() * 2)) << 1;
            keys = new long[capacity];
            positions = new int[capacity];
            for (int i = 0; i < events.size(); i++) {
                add(events.get(i).id(), i);
            }
        }

        /** Records that the event at {@code position} has {@code id}; the first position of an id is kept. */
        void add(long id, int position) {
            if (id == 0) {
                return;
            }
            if ((size + 1) * 2 > keys.length) {
                long[] oldKeys = keys;
                int[] oldPositions = positions;
                keys = new long[oldKeys.length * 2];
                positions = new int[oldKeys.length * 2];
                size = 0;
                for (int i = 0; i < oldKeys.length; i++) {
                    if (oldKeys[i] != 0) {
                        add(oldKeys[i], oldPositions[i]);
                    }
                }
            }
            int mask = keys.length - 1;
            for (int i = slot(id, mask); ; i = (i + 1) & mask) {
                if (keys[i] == id) {
                    return;
                }
                if (keys[i] == 0) {
                    keys[i] = id;
                    positions[i] = position;
                    size++;
                    return;
                }
            }
        }

        /** The position of the first event with {@code id}, -1 when none has it. */
        int position(long id) {
            int mask = keys.length - 1;
            for (int i = slot(id, mask); ; i = (i + 1) & mask) {
                if (keys[i] == id) {
                    return positions[i];
                }
                if (keys[i] == 0) {
                    return -1;
                }
            }
        }

        private static int slot(long id, int mask) {
            return (int) (id ^ (id >>> 32)) & mask;
        }
    }

    /** The first {@code count} events of a shared list: later appends by newer versions do not show. */
    private static final class Prefix extends java.util.AbstractList<VisitEvent> implements java.util.RandomAccess {
        private final ArrayList<VisitEvent> shared;
        private final int count;

        Prefix(ArrayList<VisitEvent> shared, int count) {
            this.shared = shared;
            this.count = count;
        }

        @Override
        public VisitEvent get(int index) {
            return shared.get(java.util.Objects.checkIndex(index, count));
        }

        @Override
        public int size() {
            return count;
        }
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
        private final boolean idsUnknown;
        private final int version;
        private int count = -1;
        private VisitFacts facts;
        private VisitRecord record;

        private View(byte[] bytes, long start) {
            this.r = new RecordReader(bytes);
            this.version = r.u8();
            if (version < 1 || version > VERSION) {
                throw new IllegalArgumentException("visit record version " + version + ", this build reads 1 to " + VERSION);
            }
            this.start = start;
            this.visitor = r.i64();
            int flags = r.u8();
            this.first = (flags & FIRST_VISIT) != 0;
            this.idsUnknown = version < 3 || (flags & IDS_UNKNOWN) != 0;
            this.end = start + r.varint();
            if (version >= 2) {
                count = (int) r.varint();
            }
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
                int n = version >= 2 ? count : (int) r.varint();
                List<VisitEvent> list = new ArrayList<>(n);
                long ts = start;
                for (int i = 0; i < n; i++) {
                    ts += r.varint();
                    int t = r.u8();
                    EventType type = TYPES[t & ~HAS_ID];
                    long id = (t & HAS_ID) != 0 ? r.i64() : 0;
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
                    list.add(new VisitEvent(ts, type, page, name, props, id));
                }
                record = new VisitRecord(visitor, first, idsUnknown, f, list);
            }
            return record;
        }
    }
}
