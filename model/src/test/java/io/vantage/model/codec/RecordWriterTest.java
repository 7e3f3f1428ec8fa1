package io.vantage.model.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordWriterTest {
    @Test
    void aStringIsWrittenOnceAndReadBackByItsNumberBelowAndPastTheScannedFew() {
        List<String> written = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 40; i++) {
                // Equal strings as new objects each round, as a decoded record's are.
                written.add(new String("/page/" + i));
                if (i % 7 == 0) {
                    written.add(null);
                }
            }
        }
        RecordWriter w = new RecordWriter(16);
        written.forEach(w::ref);
        byte[] bytes = w.toBytes();
        RecordReader r = new RecordReader(bytes);
        for (String s : written) {
            assertEquals(s, r.ref());
        }
        // Each of the 40 strings' bytes once; a repeat is one byte of number (2 + its index), a null one byte.
        RecordWriter once = new RecordWriter(16);
        for (int i = 0; i < 40; i++) {
            once.ref("/page/" + i);
        }
        int nulls = (int) written.stream().filter(s -> s == null).count();
        assertEquals(once.size() + 80 + nulls, bytes.length, "bytes written");
        assertNull(new RecordReader(new RecordWriter(1).ref(null).toBytes()).ref());
        assertArrayEquals(new RecordWriter(1).ref("a").ref("a").toBytes(), new byte[] {1, 1, 'a', 2});
    }
}
