package io.vantage.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

class VisitorBitsTest {
    @Test
    void countsTheMembersInTheSetAsARoaringIntersectionDoes() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            // Given a set of first visitors, dense or sparse, and a row of visitors, some beyond the set's last number
            RoaringBitmap set = new RoaringBitmap();
            int bound = 1 + random.nextInt(300_000);
            int n = random.nextInt(round % 2 == 0 ? 50 : 20_000);
            for (int i = 0; i < n; i++) {
                set.add(random.nextInt(bound));
            }
            RoaringBitmap row = new RoaringBitmap();
            for (int i = random.nextInt(500); i > 0; i--) {
                row.add(random.nextInt(bound + 70_000));
            }
            if (round % 3 == 0) {
                set.runOptimize();
            }

            // Then the bits count what the intersection counts
            assertThat(VisitorBits.of(set).countIn(row)).as("round %d", round).isEqualTo(RoaringBitmap.andCardinality(set, row));
        }
        assertThat(VisitorBits.of(new RoaringBitmap()).countIn(RoaringBitmap.bitmapOf(0, 5, 1 << 20))).isZero();
    }

    @Test
    void aBreakdownByHourOverAMonthOfABigPartitionDoesNotBuildItsSets() {
        // 720 hourly sets of visitors numbered up to 10 million would take 900 MB; one set of them, 1.25 MB
        RoaringBitmap big = RoaringBitmap.bitmapOf(0, 10_000_000);
        assertThat(VisitorBits.fit(720, big)).isFalse();
        assertThat(VisitorBits.fit(1, big)).isTrue();
        assertThat(VisitorBits.fit(240, RoaringBitmap.bitmapOf(3, 500))).isTrue();
    }
}
