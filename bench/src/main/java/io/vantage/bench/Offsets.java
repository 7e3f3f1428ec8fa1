package io.vantage.bench;

import io.vantage.model.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A Streams app's progress through {@code vantage.imports}, read from outside: the processor's
 * from its committed offsets, the pass-through app's from the end offsets of its output.
 */
final class Offsets {
    /**
     * A timed run: events per second over the part of the run timed (see {@link #watch} and
     * {@link #watchOutput}), how far it got of the topic's total, and the share of the machine's CPU
     * time that was busy (every process, the broker's included) over that same part (NaN where
     * {@code /proc/stat} cannot be read).
     */
    record Progress(double eventsPerSecond, long processed, long total, double busyShare) {
        boolean drained() {
            return processed >= total;
        }
    }

    private Offsets() {
    }

    /** A count read from outside the app; zero until it started. */
    @FunctionalInterface
    private interface Count {
        long read() throws Exception;
    }

    /** End offsets to ask for: every partition of {@code topic}, described once. */
    private static Map<TopicPartition, OffsetSpec> latestOf(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return latest;
    }

    /** The sum of the end offsets asked for (records written, committed or not, and transaction markers). */
    private static long written(Admin admin, Map<TopicPartition, OffsetSpec> latest) throws Exception {
        long sum = 0;
        for (var e : admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values()) {
            sum += e.offset();
        }
        return sum;
    }

    /**
     * Watches the pass-through app's output until its end offsets reach {@code total} or {@code cap}
     * passed: events per second from the first record written to the last. End offsets also count
     * the transactions' commit markers, one per partition per commit, so the total is reached a
     * dozen records early in a run of 650,000 (waiting for more would wait for the next commit's
     * markers, up to a commit interval later). Its run is a few seconds long, as long as two or
     * three commits, so timing it by committed offsets (as {@link #watch} does for the processor's
     * runs of 15 s and more) measured anything between one and two commit intervals: its ceiling
     * read 75,000 to 224,000 ev/s between runs of one hour. Records are appended as they are
     * processed, so the end offsets time it to the poll.
     */
    static Progress watchOutput(Admin admin, String topic, long total, Duration cap) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = latestOf(admin, topic);
        return timed(topic + " got nothing", () -> written(admin, latest), total, cap, 20, false);
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
     * {@code cap} passed since its first commit. Start-up (until the first commit) is not counted,
     * nor the wait for the commit after the last record: the rate runs to the last commit made while
     * records remained (a commit every interval while busy; the one after the input ran out comes
     * up to an interval after the last record), unless there was none after the first.
     */
    static Progress watch(Admin admin, String group, long total, Duration cap) throws Exception {
        return timed(group + " committed nothing", () -> committed(admin, group), total, cap, 50, true);
    }

    /**
     * Polls {@code count} every {@code pollMs} until it reaches {@code total} or {@code cap} passed
     * since it first read more than zero: the rate from that first reading to the last change, or
     * with {@code toLastBelowTotal} to the last change that left it below {@code total} (when there
     * was one after the first reading).
     */
    private static Progress timed(String nothing, Count count, long total, Duration cap, long pollMs, boolean toLastBelowTotal)
            throws Exception {
        long startDeadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        long n0;
        while ((n0 = count.read()) == 0) {
            if (System.nanoTime() > startDeadline) {
                throw new IllegalStateException(nothing + " within 180 s");
            }
            Thread.sleep(pollMs);
        }
        long t0 = System.nanoTime();
        CpuTimes c0 = CpuTimes.read();
        long n = n0;
        long t = t0;
        CpuTimes c = c0;
        long belowN = n0;
        long belowT = t0;
        CpuTimes belowC = c0;
        while (n < total && System.nanoTime() - t0 < cap.toNanos()) {
            Thread.sleep(pollMs);
            long now = count.read();
            if (now != n) {
                n = now;
                t = System.nanoTime();
                c = CpuTimes.read();
                if (n < total) {
                    belowN = n;
                    belowT = t;
                    belowC = c;
                }
            }
        }
        boolean below = toLastBelowTotal && belowN > n0;
        long endN = below ? belowN : Math.min(n, total);
        double seconds = ((below ? belowT : t) - t0) / 1e9;
        return new Progress(seconds > 0 ? (endN - n0) / seconds : Double.NaN, Math.min(n, total), total,
                CpuTimes.busyShare(c0, below ? belowC : c));
    }

    /**
     * The machine's CPU time so far, from the first line of {@code /proc/stat} (clock ticks over all
     * cores): busy is everything but idle and I/O wait (steal, time a hypervisor gave elsewhere,
     * counts as busy: it was not ours to use). Null where the file cannot be read.
     */
    record CpuTimes(long busy, long total) {
        static CpuTimes read() {
            // Read on every poll that saw progress: only the first line (the sum over all CPUs), not the per-CPU and interrupt lines after it.
            try (java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of("/proc/stat"))) {
                String[] f = in.readLine().trim().split("\\s+");
                // cpu user nice system idle iowait irq softirq steal [guest guest_nice: already inside user and nice]
                long total = 0;
                for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
                return new CpuTimes(total - idle, total);
            } catch (java.io.IOException | RuntimeException e) {
                return null;
            }
        }

        /**
         * The CPUs {@code /proc/stat} counts (its {@code cpuN} lines: the host's, which a container's
         * CPU limit does not change), or the JVM's count where the file cannot be read.
         */
        static int cpus() {
            try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/stat"))) {
                int n = (int) lines.filter(l -> l.length() > 3 && l.startsWith("cpu") && Character.isDigit(l.charAt(3))).count();
                return n > 0 ? n : Runtime.getRuntime().availableProcessors();
            } catch (java.io.IOException | RuntimeException e) {
                return Runtime.getRuntime().availableProcessors();
            }
        }

        /** The busy share of the CPU time between two readings; NaN without both or without time between them. */
        static double busyShare(CpuTimes from, CpuTimes to) {
            if (from == null || to == null || to.total() <= from.total()) {
                return Double.NaN;
            }
            return (double) (to.busy() - from.busy()) / (to.total() - from.total());
        }
    }
}
