package io.vantage.store;

import java.util.NoSuchElementException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/** A store iterator that finds its next entry one ahead: subclasses say what comes next, or null at the end. */
abstract class Lookahead<K, V> implements KeyValueIterator<K, V> {
    private KeyValue<K, V> next;

    /** The entry after the last one found, or null when there is none. */
    protected abstract KeyValue<K, V> advance();

    @Override
    public final boolean hasNext() {
        if (next == null) {
            next = advance();
        }
        return next != null;
    }

    @Override
    public final KeyValue<K, V> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        KeyValue<K, V> out = next;
        next = null;
        return out;
    }

    @Override
    public final K peekNextKey() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return next.key;
    }

    @Override
    public void close() {
    }
}
