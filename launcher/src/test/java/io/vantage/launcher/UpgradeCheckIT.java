package io.vantage.launcher;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vantage.model.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cluster written by the first engine design is rebuilt from its raw topics, or refused when they lost events. */
class UpgradeCheckIT {
    @TempDir
    Path dir;

    @Test
    void rebuildsWhileTheRawTopicsHoldEverythingAndRefusesOnceRetentionDeletedSome() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir, "127.0.0.1", 0);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            // Given a fresh cluster: nothing to check
            assertThatCode(() -> UpgradeCheck.beforeStart(admin, null)).doesNotThrowAnyException();

            // And raw events consumed by the first design's group
            admin.createTopics(List.of(new NewTopic(Topics.EVENTS, 1, (short) 1), new NewTopic(Topics.IMPORTS, 1, (short) 1))).all().get();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                producer.send(new ProducerRecord<>(Topics.EVENTS, "k", "{}")).get();
                producer.send(new ProducerRecord<>(Topics.EVENTS, "k", "{}")).get();
            }
            TopicPartition events = new TopicPartition(Topics.EVENTS, 0);
            admin.alterConsumerGroupOffsets(StreamsSettings.FIRST_DESIGN_APPLICATION_ID, Map.of(events, new OffsetAndMetadata(2))).all().get();

            // Then while the raw topic holds every event, the new design rebuilds from it
            assertThatCode(() -> UpgradeCheck.beforeStart(admin, null)).doesNotThrowAnyException();

            // When retention deletes one of them
            admin.deleteRecords(Map.of(events, RecordsToDelete.beforeOffset(1))).all().get();

            // Then starting is refused with the way out, unless the operator discards that history
            assertThatThrownBy(() -> UpgradeCheck.beforeStart(admin, null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("first engine design").hasMessageContaining("deleted 1").hasMessageContaining("VANTAGE_UPGRADE=discard-history");
            assertThatCode(() -> UpgradeCheck.beforeStart(admin, "discard-history")).doesNotThrowAnyException();
        }
    }
}
