package io.vantage.launcher;

import io.vantage.model.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a processor does with data written by the first engine design (its consumer group
 * {@link StreamsSettings#FIRST_DESIGN_APPLICATION_ID}). The new design's stores are rebuilt from
 * the raw topics by a consumer group of its own, which starts from their earliest offsets: that
 * loses nothing while the raw topics still hold every event the old group consumed. When
 * retention has already deleted some of them, the processor refuses to start and says what to do,
 * instead of silently counting only the events that are left.
 */
final class UpgradeCheck {
    /** Set to {@code discard-history} to start the new design on what the raw topics still hold. */
    static final String ENV = "VANTAGE_UPGRADE";
    private static final Logger LOGGER = LoggerFactory.getLogger(UpgradeCheck.class);

    private UpgradeCheck() {
    }

    /** Throws {@link IllegalStateException} with the way out when starting would lose history. */
    static void beforeStart(Admin admin, String upgradeMode) {
        try {
            if (!committed(admin, StreamsSettings.PROCESSOR_APPLICATION_ID).isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> old = committed(admin, StreamsSettings.FIRST_DESIGN_APPLICATION_ID);
            if (old.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            for (TopicPartition tp : old.keySet()) {
                if (List.of(Topics.EVENTS, Topics.IMPORTS).contains(tp.topic())) {
                    earliest.put(tp, OffsetSpec.earliest());
                }
            }
            long lost = 0;
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e
                    : admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS).entrySet()) {
                lost += e.getValue().offset();
            }
            if (lost == 0) {
                LOGGER.warn("data of the first engine design found: the new stores are rebuilt from the raw topics, which still hold every event");
                return;
            }
            if ("discard-history".equals(upgradeMode)) {
                LOGGER.warn("data of the first engine design found; {} raw events are gone by retention and are not counted ({}=discard-history)", lost, ENV);
                return;
            }
            throw new IllegalStateException("this Kafka cluster holds data of Vantage's first engine design (consumer group '"
                    + StreamsSettings.FIRST_DESIGN_APPLICATION_ID + "'), and retention has deleted " + lost
                    + " of the raw events it counted, so the new stores cannot be rebuilt from the raw topics. Either re-import"
                    + " your history (bin/vantage import) into a fresh data directory or cluster, or start with "
                    + ENV + "=discard-history to count only the events the raw topics still hold.");
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the consumer groups' offsets to check for data of an earlier design: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking for data of an earlier design", e);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                .forEach((tp, o) -> {
                    if (o != null) {
                        out.put(tp, o);
                    }
                });
        return out;
    }
}
