package io.vantage.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cache of the query side ({@link Summaries}' pre-aggregates, its {@link VisitTable}s) that drops
 * its least recently used entries beyond a budget of their approximate heap bytes. The entry just
 * put is never dropped, even when it alone is over the budget.
 */
final class SizedLru<K, V extends Summaries.Sized> {
    private final long maxBytes;
    private long bytes;
    private final LinkedHashMap<K, V> entries = new LinkedHashMap<>(1024, 0.75f, true);

    SizedLru(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    synchronized V get(K key) {
        return entries.get(key);
    }

    synchronized void put(K key, V value) {
        V old = entries.put(key, value);
        bytes += value.bytes() - (old == null ? 0 : old.bytes());
        var it = entries.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<K, V> eldest = it.next();
            if (eldest.getKey().equals(key)) {
                break;
            }
            bytes -= eldest.getValue().bytes();
            it.remove();
        }
    }
}
