package io.vantage.api;

import io.vantage.model.StorageUnavailableException;
import io.vantage.model.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code GET /api/status}: per input partition the end offset, the processor's committed offset,
 * the lag and the highest event time processed; {@code caught_up} when every lag is 0.
 */
public final class StatusService {
    private final Admin admin;
    private final String applicationId;
    private final int partitions;
    private final java.util.function.Supplier<Map<String, Long>> eventTimes;

    /** {@code eventTimes}: topic-partition → highest event time processed, across the cluster. */
    public StatusService(Admin admin, String applicationId, int partitions, java.util.function.Supplier<Map<String, Long>> eventTimes) {
        this.admin = admin;
        this.applicationId = applicationId;
        this.partitions = partitions;
        this.eventTimes = eventTimes;
    }

    /** A partition's state. */
    public record PartitionStatus(String topic, int partition, long endOffset, long committedOffset, long lag,
                                  String processedEventTime) {
    }

    /** How long an answer is reused: each fresh one costs two Kafka admin calls and a call to every peer. */
    static final long CACHE_MS = 1_000;
    private Map<String, Object> cached;
    private long cachedAt = Long.MIN_VALUE;

    /** The status, at most {@link #CACHE_MS} old; concurrent callers share one computation. */
    public synchronized Map<String, Object> status() {
        long now = System.nanoTime() / 1_000_000;
        if (cached == null || now - cachedAt >= CACHE_MS) {
            cached = fresh();
            cachedAt = now;
        }
        return cached;
    }

    private Map<String, Object> fresh() {
        List<TopicPartition> inputs = new ArrayList<>();
        for (String topic : List.of(Topics.EVENTS, Topics.IMPORTS)) {
            for (int p = 0; p < partitions; p++) {
                inputs.add(new TopicPartition(topic, p));
            }
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        inputs.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends;
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
            committed = admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("interrupted", e);
        } catch (Exception e) {
            throw new StorageUnavailableException("Kafka did not answer for offsets: " + e.getMessage(), e);
        }
        Map<String, Long> eventTimes = this.eventTimes.get();
        List<PartitionStatus> list = new ArrayList<>();
        boolean caughtUp = true;
        for (TopicPartition tp : inputs) {
            long end = ends.get(tp).offset();
            OffsetAndMetadata c = committed.get(tp);
            long done = c == null ? 0 : c.offset();
            long lag = Math.max(0, end - done);
            caughtUp &= lag == 0;
            Long et = eventTimes.get(tp.topic() + "-" + tp.partition());
            list.add(new PartitionStatus(tp.topic(), tp.partition(), end, done, lag, et == null ? null : Instant.ofEpochMilli(et).toString()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("caught_up", caughtUp);
        out.put("lag", list.stream().mapToLong(PartitionStatus::lag).sum());
        out.put("partitions", list);
        return out;
    }
}
