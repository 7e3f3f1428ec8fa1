package io.vantage.launcher;

import io.vantage.api.Erasures;
import io.vantage.model.Erasure;
import io.vantage.model.KafkaClients;
import io.vantage.model.StorageUnavailableException;
import io.vantage.model.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Erasure requests to {@link Topics#ERASURES}, keyed by the visitor's event key; answered once acknowledged. */
final class KafkaErasures implements Erasures, AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final KafkaProducer<String, Erasure> producer;

    KafkaErasures(String bootstrap) {
        producer = new KafkaProducer<>(KafkaClients.settings(bootstrap, Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis())),
                new StringSerializer(), Topics.ERASURE_SERDE.serializer());
    }

    @Override
    public void request(Erasure erasure) {
        try {
            producer.send(new ProducerRecord<>(Topics.ERASURES, erasure.key(), erasure)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("interrupted while storing the erasure", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new StorageUnavailableException("Kafka did not store the erasure; retry later", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
