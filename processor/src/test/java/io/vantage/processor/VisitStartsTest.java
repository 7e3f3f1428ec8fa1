package io.vantage.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VisitStartsTest {
    @Test
    void updatesOnlyKeptVisitorsKeepsStartsSortedAndForgetsTheLeastRecentlyUsed() {
        VisitStarts starts = new VisitStarts(2);
        starts.update("a", List.of(), 5);
        assertThat(starts.get("a")).as("a visitor not kept is not started by an update").isNull();
        starts.put("a", new long[] {10, 30});
        starts.update("a", List.of(), 20);
        assertThat(starts.get("a")).containsExactly(10, 20, 30);
        // a merge: the visits at 20 and 30 became one that starts at 15
        starts.update("a", List.of(20L, 30L), 15);
        assertThat(starts.get("a")).containsExactly(10, 15);
        starts.update("a", List.of(10L), Long.MIN_VALUE);
        assertThat(starts.get("a")).containsExactly(15);
        starts.put("b", new long[] {1});
        starts.get("a");
        starts.put("c", new long[] {2});
        assertThat(starts.get("b")).as("the least recently used leaves first").isNull();
        assertThat(starts.get("a")).containsExactly(15);
        assertThat(VisitStarts.firstAtOrAfter(new long[] {10, 20, 30}, 15)).isEqualTo(1);
        assertThat(VisitStarts.firstAtOrAfter(new long[] {10, 20, 30}, 20)).isEqualTo(1);
        assertThat(VisitStarts.firstAtOrAfter(new long[] {10, 20, 30}, 31)).isEqualTo(3);
        starts.clear();
        assertThat(starts.get("a")).isNull();
    }
}
