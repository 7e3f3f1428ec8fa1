package io.vantage.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.collector.KafkaDailySalts;
import io.vantage.model.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cookieless salt on a real broker: random per day, the same in every collector even when
 * they start at once, made once, and on a topic that deletes it two days after it was made.
 */
class CookielessSaltsIT {
    @TempDir
    Path data;

    @Test
    void collectorsStartingAtOnceAgreeOnOneRandomSaltPerDay() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(data.resolve("kafka"), "127.0.0.1", 0);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            KafkaTopics.ensure(admin, 1);
            long today = Math.floorDiv(System.currentTimeMillis(), 86_400_000L);

            // Given two collectors that start at the same moment
            CompletableFuture<KafkaDailySalts> a = CompletableFuture.supplyAsync(() ->
                    new KafkaDailySalts(broker.bootstrap(), Clock.systemUTC()).start(Duration.ofSeconds(60)));
            CompletableFuture<KafkaDailySalts> b = CompletableFuture.supplyAsync(() ->
                    new KafkaDailySalts(broker.bootstrap(), Clock.systemUTC()).start(Duration.ofSeconds(60)));
            try (KafkaDailySalts first = a.get(90, TimeUnit.SECONDS); KafkaDailySalts second = b.get(90, TimeUnit.SECONDS)) {
                // Then they agree on today's salt, 32 random bytes, another one tomorrow
                assertThat(first.saltOf(today)).hasSize(32).isEqualTo(second.saltOf(today));
                io.vantage.testing.Await.until(Duration.ofSeconds(30), "tomorrow's salt in both",
                        () -> knows(first, today + 1) && knows(second, today + 1));
                assertThat(first.saltOf(today + 1)).isEqualTo(second.saltOf(today + 1)).isNotEqualTo(first.saltOf(today));
                assertThat(first.healthy()).isTrue();

                // And a collector started later takes the same salt instead of making one
                long records = records(admin);
                try (KafkaDailySalts later = new KafkaDailySalts(broker.bootstrap(), Clock.systemUTC()).start(Duration.ofSeconds(60))) {
                    assertThat(later.saltOf(today)).isEqualTo(first.saltOf(today));
                    Thread.sleep(1_000);
                    assertThat(records(admin)).isEqualTo(records);
                }
            }

            // And the topic deletes salts two days after they were made, never compacting them
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.SALTS);
            Config config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");
            assertThat(Long.parseLong(config.get("retention.ms").value())).isEqualTo(2L * 24 * 3600 * 1000);
        }
    }

    private static boolean knows(KafkaDailySalts salts, long day) {
        try {
            salts.saltOf(day);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static long records(Admin admin) throws Exception {
        TopicPartition tp = new TopicPartition(Topics.SALTS, 0);
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS).get(tp).offset();
    }
}
