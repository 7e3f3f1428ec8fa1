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
    /** The strings written, in order (a string's number is its index), while they are few; a map once they are many. */
    private String[] written;
    private int writtenCount;
    private Map<String, Integer> refs;
    private static final int SCANNED = 16;

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
        int seen = indexOf(s);
        if (seen >= 0) {
            return varint(2L + seen);
        }
        remember(s);
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return varint(1).varint(b.length).raw(b);
    }

    /**
     * The number of a string already written, or -1. A record holds a few strings (a visit's pages),
     * so they are compared in a scan, by identity first: hashing them would read each string whole,
     * and a decoded record's strings are new objects whose hashes were never computed.
     */
    private int indexOf(String s) {
        if (refs != null) {
            Integer i = refs.get(s);
            return i == null ? -1 : i;
        }
        for (int i = 0; i < writtenCount; i++) {
            if (written[i] == s) {
                return i;
            }
        }
        for (int i = 0; i < writtenCount; i++) {
            if (written[i].equals(s)) {
                return i;
            }
        }
        return -1;
    }

    private void remember(String s) {
        if (refs != null) {
            refs.put(s, refs.size());
            return;
        }
        if (writtenCount == SCANNED) {
            refs = new HashMap<>(SCANNED * 4);
            for (int i = 0; i < writtenCount; i++) {
                refs.put(written[i], i);
            }
            refs.put(s, refs.size());
            written = null;
            return;
        }
        if (written == null) {
            written = new String[4];
        } else if (writtenCount == written.length) {
            written = Arrays.copyOf(written, written.length * 2);
        }
        written[writtenCount++] = s;
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
