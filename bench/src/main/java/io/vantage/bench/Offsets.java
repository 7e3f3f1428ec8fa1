package io.vantage.bench;

import io.vantage.model.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A Streams app's progress through {@code vantage.imports}, read from its committed offsets, so
 * that the processor and the pass-through app are timed the same way from outside.
 */
final class Offsets {
    /** A timed run: events per second between the first commit seen and the last, and how far it got of the topic's total. */
    record Progress(double eventsPerSecond, long processed, long total) {
        boolean drained() {
            return processed >= total;
        }
    }

    private Offsets() {
    }

    static long committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
        long sum = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : m.entrySet()) {
            if (e.getKey().topic().equals(Topics.IMPORTS) && e.getValue() != null) {
                sum += e.getValue().offset();
            }
        }
        return sum;
    }

    /**
     * Watches {@code group} until it committed {@code total} records of {@code vantage.imports} or
     * {@code cap} passed since its first commit. Start-up (until the first commit) is not counted.
     */
    static Progress watch(Admin admin, String group, long total, Duration cap) throws Exception {
        long startDeadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        long c0;
        while ((c0 = committed(admin, group)) == 0) {
            if (System.nanoTime() > startDeadline) {
                throw new IllegalStateException(group + " committed nothing within 180 s");
            }
            Thread.sleep(50);
        }
        long t0 = System.nanoTime();
        long c = c0;
        long t = t0;
        while (c < total && System.nanoTime() - t0 < cap.toNanos()) {
            Thread.sleep(50);
            long now = committed(admin, group);
            if (now != c) {
                c = now;
                t = System.nanoTime();
            }
        }
        double seconds = (t - t0) / 1e9;
        return new Progress(seconds > 0 ? (c - c0) / seconds : Double.NaN, c, total);
    }
}
