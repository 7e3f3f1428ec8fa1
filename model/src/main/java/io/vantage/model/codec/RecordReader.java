package io.vantage.model.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads what {@link RecordWriter} wrote; a truncated or corrupt record fails with an {@link IllegalArgumentException}. */
public final class RecordReader {
    private final byte[] buf;
    private int pos;
    private final List<String> refs = new ArrayList<>();

    public RecordReader(byte[] buf) {
        this.buf = buf;
    }

    private void need(int n) {
        if (pos + n > buf.length) {
            throw new IllegalArgumentException("record truncated at byte " + pos + " of " + buf.length);
        }
    }

    public int u8() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    public int i32() {
        return (int) fixed(4);
    }

    public long i64() {
        return fixed(8);
    }

    /** A big-endian number of {@code n} bytes. */
    private long fixed(int n) {
        need(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    public long varint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = u8();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("varint longer than 10 bytes at byte " + pos);
    }

    /** Passes over a string or null written by {@link RecordWriter#ref} without reading it. */
    public void skipRef() {
        long tag = varint();
        if (tag == 1) {
            long len = varint();
            if (len > buf.length - pos) {
                throw new IllegalArgumentException("string of " + len + " bytes at byte " + pos + " of " + buf.length);
            }
            pos += (int) len;
        }
    }

    public String ref() {
        long tag = varint();
        if (tag == 0) {
            return null;
        }
        if (tag == 1) {
            long len = varint();
            if (len > buf.length - pos) {
                throw new IllegalArgumentException("string of " + len + " bytes at byte " + pos + " of " + buf.length);
            }
            need((int) len);
            String s = new String(buf, pos, (int) len, StandardCharsets.UTF_8);
            pos += (int) len;
            refs.add(s);
            return s;
        }
        long index = tag - 2;
        if (index >= refs.size()) {
            throw new IllegalArgumentException("string reference " + index + " before its definition");
        }
        return refs.get((int) index);
    }

    public boolean atEnd() {
        return pos == buf.length;
    }
}
