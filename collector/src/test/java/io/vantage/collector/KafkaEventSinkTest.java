package io.vantage.collector;

import static io.vantage.testing.TestEvents.pageview;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vantage.model.Event;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KafkaEventSinkTest {
    @Test
    void aBatchFailsAsAWholeAndMarksTheSinkUnhealthyWhenNoBrokerAnswers() {
        // Given a sink pointed at a port where no broker listens
        try (KafkaEventSink sink = new KafkaEventSink("127.0.0.1:1", Duration.ofMillis(300))) {
            assertThat(sink.healthy()).isTrue();
            List<Event> batch = List.of(pageview("v", 1_000, "/a").build(), pageview("v", 2_000, "/b").build(),
                    pageview("v", 3_000, "/c").build());

            // When a batch is sent, Then it fails (the caller answers 503) and health says so
            assertThatThrownBy(() -> sink.send(batch).get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            assertThat(sink.healthy()).isFalse();
            assertThat(sink.accepting()).as("later requests are refused at once while the probe finds no cluster").isFalse();
        }
    }
}
