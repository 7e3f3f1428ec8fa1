package io.vantage.model.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes the binary store formats: big-endian fixed-width numbers, unsigned LEB128 varints, and
 * strings that are written once per record and referenced by number after that (a session's pages
 * repeat, so a record holds each path once).
 */
public final class RecordWriter {
    private byte[] buf;
    private int pos;
    private final Map<String, Integer> refs = new HashMap<>();

    public RecordWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    public RecordWriter u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    public RecordWriter i32(int v) {
        return fixed(v, 4);
    }

    public RecordWriter i64(long v) {
        return fixed(v, 8);
    }

    /** The low {@code n} bytes of {@code v}, big-endian. */
    private RecordWriter fixed(long v, int n) {
        ensure(n);
        for (int s = 8 * (n - 1); s >= 0; s -= 8) {
            buf[pos++] = (byte) (v >>> s);
        }
        return this;
    }

    /** An unsigned varint; negative values are not allowed. */
    public RecordWriter varint(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("varint must not be negative: " + v);
        }
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
        return this;
    }

    public RecordWriter raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
        return this;
    }

    /** A string or null: 0 for null, 1 and the UTF-8 bytes for a new one, 2+n for the n-th string already written. */
    public RecordWriter ref(String s) {
        if (s == null) {
            return varint(0);
        }
        Integer seen = refs.get(s);
        if (seen != null) {
            return varint(2L + seen);
        }
        refs.put(s, refs.size());
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return varint(1).varint(b.length).raw(b);
    }

    /** Bytes written so far. */
    public int size() {
        return pos;
    }

    /** The first {@code len} bytes another writer wrote (its strings stay its own). */
    public RecordWriter raw(RecordWriter other, int len) {
        ensure(len);
        System.arraycopy(other.buf, 0, buf, pos, len);
        pos += len;
        return this;
    }

    public byte[] toBytes() {
        return Arrays.copyOf(buf, pos);
    }
}
