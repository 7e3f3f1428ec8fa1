package io.vantage.store;

import io.vantage.model.codec.RecordReader;
import io.vantage.model.codec.RecordWriter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Key codecs of the processor's stores, in one place for the writer (the processor) and the
 * readers (the dashboard API). Keys are bytes compared unsigned, lexicographically (RocksDB's and
 * the record cache's order), with a 0 byte after every string (site ids and visitor ids never
 * hold one) so that a prefix never runs into a longer site's keys.
 *
 * <ul>
 *   <li>visits: {@code site 0 startHour(4) visitor(8) start(8)}: a time range is one range scan,
 *       hour by hour; the visitor and start make the key unique and keep the start readable
 *       without decoding the value.</li>
 *   <li>visitor sessions: {@code site 0 visitorId 0 start(8)}: a visitor's visits by start, so
 *       the visits an out-of-order event can touch are one short reverse scan.</li>
 *   <li>visitor traits: {@code site 0 name 0 visitor(8)}: the latest value of one trait for every
 *       visitor is one prefix scan.</li>
 *   <li>visit hours (in memory): {@code site 0 hour(4)} → a version that changes with every write
 *       of a visit starting in that hour, and {@link #EPOCH} → the task's epoch, new at every start,
 *       so a reader's copy of an hour is known to be current without reading the hour.</li>
 *   <li>visit changes (in memory): {@code slot(4)} → {@code version(8) keyLength(4) visitKey
 *       visit}: the visit written at each of a task's last {@link #CHANGE_SLOTS} versions (slot =
 *       version modulo that) with its value as written (none for a deletion), so a reader holding
 *       an hour at an older version reads one short range instead of the hour again.</li>
 *   <li>site spans: {@code site}: the longest visit (end - start) of the site in the partition,
 *       how far before a range a visit with events in it can start.</li>
 * </ul>
 */
public final class StoreKeys {
    public static final long HOUR_MS = 3_600_000L;

    private StoreKeys() {
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static Bytes visit(String site, long start, long visitor) {
        return Bytes.wrap(new RecordWriter(32).raw(utf8(site)).u8(0).i32((int) (start / HOUR_MS)).i64(visitor).i64(start).toBytes());
    }

    /** The inclusive key range of the visits starting in hours {@code [fromHour, toHour]}. */
    public static Bytes[] visitHours(String site, long fromHour, long toHour) {
        byte[] s = utf8(site);
        Bytes from = Bytes.wrap(new RecordWriter(32).raw(s).u8(0).i32((int) Math.max(0, fromHour)).toBytes());
        Bytes to = Bytes.wrap(new RecordWriter(32).raw(s).u8(0).i32((int) Math.max(0, toHour))
                .i64(-1L).i64(-1L).u8(0xFF).toBytes());
        return new Bytes[] {from, to};
    }

    /** The visitor (hashed) held in a visit key. */
    public static long visitVisitor(Bytes key) {
        byte[] k = key.get();
        long v = 0;
        for (int i = k.length - 16; i < k.length - 8; i++) {
            v = (v << 8) | (k[i] & 0xFF);
        }
        return v;
    }

    /** Whether a visit key is of a visit of {@code site} starting in {@code hour} (its visit-hours key is its prefix). */
    public static boolean visitIn(Bytes key, Bytes visitHour) {
        byte[] k = key.get();
        byte[] p = visitHour.get();
        return k.length == p.length + 16 && java.util.Arrays.equals(k, 0, p.length, p, 0, p.length);
    }

    /** The start time held in a visit key. */
    public static long visitStart(Bytes key) {
        return trailing(key, 8);
    }

    /** The big-endian number in the last {@code n} bytes of a key. */
    private static long trailing(Bytes key, int n) {
        byte[] k = key.get();
        long v = 0;
        for (int i = k.length - n; i < k.length; i++) {
            v = (v << 8) | (k[i] & 0xFF);
        }
        return v;
    }

    public static Bytes visitorSession(String site, String visitorId, long start) {
        return Bytes.wrap(new RecordWriter(64).raw(utf8(site)).u8(0).raw(utf8(visitorId)).u8(0).i64(start).toBytes());
    }

    /** The inclusive key range of the visitor's visits starting in {@code [fromStart, toStart]}. */
    public static Bytes[] visitorSessions(String site, String visitorId, long fromStart, long toStart) {
        return new Bytes[] {visitorSession(site, visitorId, Math.max(0, fromStart)), visitorSession(site, visitorId, Math.max(0, toStart))};
    }

    /** The inclusive key range of every visitor's visits of a site (the retention sweep reads it whole). */
    public static Bytes[] siteSessions(String site) {
        byte[] prefix = new RecordWriter(32).raw(utf8(site)).u8(0).toBytes();
        return new Bytes[] {Bytes.wrap(prefix), Bytes.wrap(new RecordWriter(32).raw(utf8(site)).u8(1).toBytes())};
    }

    /** The visitor id held in a visitor-sessions key of {@code site}. */
    public static String visitorSessionVisitor(String site, Bytes key) {
        byte[] k = key.get();
        int from = utf8(site).length + 1;
        return new String(k, from, k.length - 8 - 1 - from, StandardCharsets.UTF_8);
    }

    public static long visitorSessionStart(Bytes key) {
        return visitStart(key);
    }

    public static Bytes trait(String site, String name, long visitor) {
        return Bytes.wrap(new RecordWriter(64).raw(utf8(site)).u8(0).raw(utf8(name)).u8(0).i64(visitor).toBytes());
    }

    /** The inclusive key range of every visitor's value of one trait. */
    public static Bytes[] traitRange(String site, String name) {
        byte[] prefix = new RecordWriter(64).raw(utf8(site)).u8(0).raw(utf8(name)).u8(0).toBytes();
        return new Bytes[] {Bytes.wrap(prefix), Bytes.wrap(new RecordWriter(64).raw(prefix).i64(-1L).u8(0xFF).toBytes())};
    }

    public static long traitVisitor(Bytes key) {
        return visitStart(key);
    }

    /** The key of the task's epoch in the visit-hours store (no site id is empty). */
    public static final Bytes EPOCH = Bytes.wrap(new byte[0]);

    /** The visit-hours key of a site's visits starting in {@code hour}: {@code site 0 hour(4)}. */
    public static Bytes visitHour(String site, long hour) {
        return Bytes.wrap(new RecordWriter(32).raw(utf8(site)).u8(0).i32((int) hour).toBytes());
    }

    /** The visit-hours key of a visit's start hour: the visit key's prefix. */
    public static Bytes visitHourOfVisit(Bytes visitKey) {
        byte[] k = visitKey.get();
        return Bytes.wrap(java.util.Arrays.copyOf(k, k.length - 16));
    }

    /** The inclusive visit-hours key range of a site's hours {@code [fromHour, toHour]}. */
    public static Bytes[] visitHourRange(String site, long fromHour, long toHour) {
        return new Bytes[] {visitHour(site, Math.max(0, fromHour)), visitHour(site, Math.max(0, toHour))};
    }

    /** The hour held in a visit-hours key. */
    public static long visitHourOf(Bytes key) {
        return trailing(key, 4);
    }

    /**
     * How many of a task's last visit writes the visit-changes store holds: about 10 s of a
     * partition's writes at 5,000 events/s over 4 partitions.
     */
    public static final int CHANGE_SLOTS = 16_384;

    /** The visit-changes key of a write's version. */
    public static Bytes changeSlot(long version) {
        return Bytes.wrap(new RecordWriter(4).i32((int) Math.floorMod(version, (long) CHANGE_SLOTS)).toBytes());
    }

    /** The slot a visit-changes key holds. */
    public static int slotOf(Bytes key) {
        return (int) trailing(key, 4);
    }

    /** The visit-changes value of the write of {@code visit} (null: a deletion) under {@code visitKey} at {@code version}. */
    public static byte[] change(long version, Bytes visitKey, byte[] visit) {
        byte[] k = visitKey.get();
        RecordWriter w = new RecordWriter(12 + k.length + (visit == null ? 0 : visit.length)).i64(version).i32(k.length).raw(k);
        return (visit == null ? w : w.raw(visit)).toBytes();
    }

    /** The version held in a visit-changes value. */
    public static long changeVersion(byte[] change) {
        return longOf(change);
    }

    /** The visit key held in a visit-changes value. */
    public static Bytes changeVisit(byte[] change) {
        int n = keyLength(change);
        return Bytes.wrap(java.util.Arrays.copyOfRange(change, 12, 12 + n));
    }

    /** The visit as written, held in a visit-changes value; null for a deletion. */
    public static byte[] changeValue(byte[] change) {
        int n = keyLength(change);
        return change.length == 12 + n ? null : java.util.Arrays.copyOfRange(change, 12 + n, change.length);
    }

    private static int keyLength(byte[] change) {
        RecordReader r = new RecordReader(change);
        r.i64();
        return r.i32();
    }

    public static Bytes span(String site) {
        return Bytes.wrap(utf8(site));
    }

    public static byte[] longValue(long v) {
        return new RecordWriter(8).i64(v).toBytes();
    }

    public static long longOf(byte[] v) {
        return new RecordReader(v).i64();
    }
}
