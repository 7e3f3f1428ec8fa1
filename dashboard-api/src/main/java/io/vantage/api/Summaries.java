package io.vantage.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/**
 * The query side's pre-aggregates, derived from the stores and kept in memory between queries: an
 * {@link HourSummary} per partition, site, start hour and set of dimensions, and a {@link Day} per
 * partition, site, local day (and week) and set of dimensions merged from them. Each holds the versions it was
 * built from (the visit-hours store, written by the processor whenever a visit of an hour changes),
 * so a query rebuilds only what changed since the last one: with live traffic, the current hour
 * and the day it is in. Least recently used entries are dropped beyond a heap budget; the dense
 * visitor numbers of each partition ({@link VisitorIds}) stay.
 */
final class Summaries {
    /** What the cache holds, with its approximate heap size. */
    interface Sized {
        long bytes();
    }

    /** One local day's (or week's) cells and new visitors, valid for the versions of the hours it was merged from. */
    record Day(long epoch, long spanHours, long[] versions, RowTable.Flat cells, RoaringBitmap firstStarters,
               long bytes) implements Sized {
    }

    /** @param days 0 for an {@link HourSummary} ({@code at} its hour number), else the days of a {@link Day} or week ({@code at} its first millisecond) */
    record Key(int partition, String site, String dims, String goals, int days, long at) {
    }

    /** The key of one partition's table of one site-hour. */
    private record TableKey(int partition, String site, long hour) {
    }

    private final SizedLru<Key, Sized> entries;
    /** The tables, under their own budget so that they never push out pre-aggregates. */
    private final SizedLru<TableKey, VisitTable> tables;
    private final Map<Integer, VisitorIds> ids = new HashMap<>();
    private static final int MAX_KEYS = 1 << 18;
    /** One instance of every row key of the pre-aggregates (see {@link #canonical}). */
    private final java.util.concurrent.ConcurrentHashMap<List<String>, List<String>> keys = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<String, String> strings = new java.util.concurrent.ConcurrentHashMap<>();
    private TableCodes codes = new TableCodes();

    /** Pre-aggregates up to {@code maxBytes}, and {@link VisitTable}s up to half as much again. */
    Summaries(long maxBytes) {
        this.entries = new SizedLru<>(maxBytes);
        this.tables = new SizedLru<>(maxBytes / 2);
    }

    /**
     * A quarter of the heap, and an eighth for the tables of filtered queries: a month of them at 5
     * million events takes about 100 MB by {@link VisitTable}'s size estimate, and a range read in order through a cache smaller than
     * itself would miss on every hour. The decoded visits of the general path, {@link HourCache},
     * take a thirty-second.
     */
    static Summaries sizedToHeap() {
        return new Summaries(Math.max(32L << 20, Runtime.getRuntime().maxMemory() / 4));
    }

    /**
     * The one instance of a row key: the cells of every hour, day and week then share their keys
     * and the strings in them (each decoded visit has its own copies), and a query merging their
     * rows compares keys by identity. Past {@link #MAX_KEYS} keys and strings the set starts again
     * (older keys are then only equal, not identical), so it holds a few tens of megabytes at most.
     */
    List<String> canonical(List<String> key) {
        List<String> known = keys.get(key);
        if (known != null) {
            return known;
        }
        if (keys.size() + strings.size() >= MAX_KEYS) {
            keys.clear();
            strings.clear();
        }
        List<String> copy = new ArrayList<>(key.size());
        for (String s : key) {
            String one = strings.putIfAbsent(s, s);
            copy.add(one == null ? s : one);
        }
        List<String> fixed = List.copyOf(copy);
        known = keys.putIfAbsent(fixed, fixed);
        return known == null ? fixed : known;
    }

    /** The dictionaries tables are numbered by now; a new one once they are full (older tables are then rebuilt when read). */
    synchronized TableCodes codes() {
        if (codes.full()) {
            codes = new TableCodes();
        }
        return codes;
    }

    /** The cached table of a partition's site-hour, whatever its version. */
    VisitTable table(int partition, String site, long hour) {
        return tables.get(new TableKey(partition, site, hour));
    }

    void putTable(int partition, String site, long hour, VisitTable table) {
        tables.put(new TableKey(partition, site, hour), table);
    }

    synchronized VisitorIds ids(int partition) {
        return ids.computeIfAbsent(partition, p -> new VisitorIds());
    }

    Sized get(Key key) {
        return entries.get(key);
    }

    void put(Key key, Sized value) {
        entries.put(key, value);
    }
}
