package io.vantage.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.store.ProcessingListener;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressTrackerTest {
    @Test
    void keepsTheHighestEventTimePerTopicPartitionWhilePartitionsAreAddedConcurrently() throws Exception {
        ProgressTracker tracker = new ProgressTracker(new ProcessingListener() { });
        int rounds = 200_000;
        Thread low = new Thread(() -> {
            for (int i = 1; i <= rounds; i++) {
                tracker.onInput("events", 0, i, i);
            }
        });
        Thread high = new Thread(() -> {
            for (int p = 1; p <= 4_000; p++) {
                tracker.onInput("events", p, 0, 7);
            }
        });
        low.start();
        high.start();
        low.join();
        high.join();
        tracker.onInput("imports", 1, 0, 5);
        tracker.onInput("imports", 1, 1, 3);

        Map<String, Long> times = tracker.eventTimes();
        assertThat(times).containsEntry("events-0", (long) rounds).containsEntry("events-4000", 7L).containsEntry("imports-1", 5L)
                .doesNotContainKey("imports-0");
        assertThat(times).hasSize(4_001 + 1);
    }
}
