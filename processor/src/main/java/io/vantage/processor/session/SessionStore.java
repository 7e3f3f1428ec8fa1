package io.vantage.processor.session;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A visitor's sessions in a key-value store, keyed {@code site\0visitor\0end} so the sessions an
 * event can touch are one short range scan from its time minus the gap. A key-value store (not a
 * window store) keeps sessions of any age, so an import of last year sessionizes like live traffic.
 */
public final class SessionStore {
    private static final int DIGITS = 13;
    private final KeyValueStore<String, Session> store;

    public SessionStore(KeyValueStore<String, Session> store) {
        this.store = store;
    }

    /** The sessions an event at {@code ts} joins (zero, one, or several it bridges), oldest first. */
    public List<Session> touching(String visitorKey, long ts, long gapMs) {
        List<Session> out = new ArrayList<>();
        String from = visitorKey + '\0' + pad(Math.max(0, ts - gapMs));
        String to = visitorKey + '\0' + "9".repeat(DIGITS);
        try (KeyValueIterator<String, Session> it = store.range(from, to)) {
            while (it.hasNext()) {
                KeyValue<String, Session> kv = it.next();
                if (kv.value.start() > ts + gapMs) {
                    break;
                }
                if (kv.value.reaches(ts, gapMs)) {
                    out.add(kv.value);
                }
            }
        }
        return out;
    }

    /**
     * The sessions an event at {@code ts} joins, knowing the visitor's latest session ends at
     * {@code latestEnd}: an event at or after it (live traffic, in order) can only join that one,
     * found by key; only an earlier event needs the range scan.
     */
    public List<Session> touching(String visitorKey, long ts, long gapMs, long latestEnd) {
        if (latestEnd == Long.MIN_VALUE) {
            return List.of();
        }
        if (ts >= latestEnd) {
            if (ts - latestEnd > gapMs) {
                return List.of();
            }
            Session latest = store.get(key(visitorKey, latestEnd));
            if (latest != null) {
                return List.of(latest);
            }
        }
        return touching(visitorKey, ts, gapMs);
    }

    /** Replaces {@code old} sessions of the visitor by {@code merged}. */
    public void replace(String visitorKey, List<Session> old, Session merged) {
        for (Session s : old) {
            store.delete(key(visitorKey, s.end()));
        }
        store.put(key(visitorKey, merged.end()), merged);
    }

    static String key(String visitorKey, long end) {
        return visitorKey + '\0' + pad(end);
    }

    private static String pad(long v) {
        String s = Long.toString(v);
        return "0".repeat(Math.max(0, DIGITS - s.length())) + s;
    }
}
