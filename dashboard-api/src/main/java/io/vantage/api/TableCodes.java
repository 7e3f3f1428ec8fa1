package io.vantage.api;

import io.vantage.model.EventType;
import io.vantage.store.VisitFacts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dictionaries of {@link VisitTable}s: page paths, visit facts and event details (type, name,
 * properties) numbered once for the whole query side, so that every table's columns hold small
 * numbers that mean the same in every hour and partition. A query evaluates a filter once per
 * number it meets, not once per event, and keys its rows by numbers, not strings.
 *
 * <p>Numbers are never reused, so a dictionary only grows; past {@link #MAX_ENTRIES} entries
 * {@link Summaries} starts a new one, and tables numbered by the old one are rebuilt when read.
 */
final class TableCodes {
    /** Entries after which a new dictionary is started (row keys pack numbers in 21 bits). */
    static final int MAX_ENTRIES = 1 << 20;

    /** What an event is besides its time and page. */
    record Detail(EventType type, String name, Map<String, String> props) {
    }

    /** One dictionary: values to dense numbers and back. */
    static final class Codes<T> {
        private final Map<T, Integer> codes = new HashMap<>();
        private final List<T> values = new ArrayList<>();

        synchronized int code(T value) {
            Integer c = codes.get(value);
            if (c == null) {
                c = values.size();
                codes.put(value, c);
                values.add(value);
            }
            return c;
        }

        /** The numbers of many values at once (one lock for a whole table's distinct values). */
        synchronized int[] codes(List<T> list) {
            int[] out = new int[list.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = code(list.get(i));
            }
            return out;
        }

        synchronized T value(int code) {
            return values.get(code);
        }

        synchronized int size() {
            return values.size();
        }
    }

    final Codes<String> pages = new Codes<>();
    final Codes<VisitFacts> facts = new Codes<>();
    final Codes<Detail> details = new Codes<>();

    boolean full() {
        return pages.size() >= MAX_ENTRIES || facts.size() >= MAX_ENTRIES || details.size() >= MAX_ENTRIES;
    }
}
