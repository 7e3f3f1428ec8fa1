package io.vantage.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientsTest {
    @TempDir
    Path dir;

    @Test
    void readsTheOperatorsClientPropertiesButNotTheirBootstrap() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, """
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="vantage" password="s3cret";
                bootstrap.servers=elsewhere:9093
                """);

        Map<String, Object> settings = KafkaClients.load(file.toString());

        assertThat(settings).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .doesNotContainKey("bootstrap.servers");
        assertThat((String) settings.get("sasl.jaas.config")).endsWith("password=\"s3cret\";");
        assertThat(KafkaClients.load(null)).isEmpty();
        assertThatThrownBy(() -> KafkaClients.load(dir.resolve("missing").toString())).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("VANTAGE_KAFKA_PROPERTIES");
    }

    @Test
    void aClientsOwnSettingsAndTheBootstrapComeOnTop() {
        Map<String, Object> settings = KafkaClients.settings("broker:9092", Map.of("acks", "all"));
        assertThat(settings).containsEntry("bootstrap.servers", "broker:9092").containsEntry("acks", "all");
    }
}
