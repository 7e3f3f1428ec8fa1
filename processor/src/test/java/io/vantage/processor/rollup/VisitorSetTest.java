package io.vantage.processor.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VisitorSetTest {
    /** A set of visitors v{from}..v{to-1}, built by merging one-visitor sets (fast for large sets). */
    private static byte[] setOf(int from, int to) {
        VisitorSet.Merger merger = new VisitorSet.Merger();
        for (int i = from; i < to; i++) {
            merger.add(VisitorSet.add(VisitorSet.empty(), VisitorSet.hash("v" + i), 1));
        }
        return merger.result().serialized();
    }

    @Test
    void countsExactlyUpTo16384Visitors() {
        byte[] set = VisitorSet.empty();
        for (int i = 0; i < VisitorSet.EXACT_LIMIT; i++) {
            set = VisitorSet.add(set, VisitorSet.hash("v" + i), 1);
        }
        assertThat(VisitorSet.count(set)).isEqualTo(16_384);
        assertThat(VisitorSet.count(VisitorSet.add(set, VisitorSet.hash("v7"), 1))).as("a repeat").isEqualTo(16_384);
    }

    @Test
    void unionsAreExactWhileTheyFitAndWithin2PercentBeyond() {
        VisitorSet.Merger exact = new VisitorSet.Merger().add(setOf(0, 8_000)).add(setOf(4_000, 12_000));
        assertThat(exact.result().count()).isEqualTo(12_000);
        assertThat(exact.result().exact()).isTrue();

        VisitorSet.Merger big = new VisitorSet.Merger();
        for (int part = 0; part < 10; part++) {
            big.add(setOf(part * 10_000, part * 10_000 + 12_000));
        }
        long estimate = big.result().count();
        assertThat((double) Math.abs(estimate - 102_000) / 102_000).isLessThan(0.02);
    }

    @Test
    void retractsCountsAndRemovesAtZero() {
        long v = VisitorSet.hash("v");
        byte[] twice = VisitorSet.add(VisitorSet.add(VisitorSet.empty(), v, 1), v, 1);
        byte[] once = VisitorSet.add(twice, v, -1);
        assertThat(VisitorSet.count(once)).isEqualTo(1);
        assertThat(VisitorSet.count(VisitorSet.add(once, v, -1))).isZero();
        assertThat(new VisitorSet.Merger().add(twice).result().countAtLeast(2, 2)).isEqualTo(1);
        assertThat(new VisitorSet.Merger().add(once).result().countAtLeast(2, 1)).isZero();
    }

    @Test
    void intersectsExactlyAndApproximatelyBeyondTheLimit() {
        VisitorSet.Merged a = new VisitorSet.Merger().add(setOf(0, 100)).result();
        VisitorSet.Merged b = new VisitorSet.Merger().add(setOf(50, 300)).result();
        assertThat(a.intersectCount(b)).isEqualTo(50);

        VisitorSet.Merged big = new VisitorSet.Merger().add(setOf(0, 20_000)).add(setOf(20_000, 40_000)).result();
        assertThat(big.exact()).isFalse();
        long both = big.intersectCount(new VisitorSet.Merger().add(setOf(30_000, 32_000)).result());
        assertThat(Math.abs(both - 2_000)).isLessThan(200);
    }
}
