package io.vantage.store;

import java.nio.charset.StandardCharsets;
import org.apache.datasketches.hash.MurmurHash3;

/**
 * The 64-bit number that stands for a visitor in the stores and in query-time visitor sets. Two
 * visitors of a partition share a number with probability about n²/2⁶⁵ (3·10⁻⁸ for a million
 * visitors), so distinct counts over these numbers are exact in practice.
 */
public final class VisitorHash {
    private static final long SEED = 9001L;

    private VisitorHash() {
    }

    public static long of(String visitorId) {
        return MurmurHash3.hash(visitorId.getBytes(StandardCharsets.UTF_8), SEED)[0];
    }
}
