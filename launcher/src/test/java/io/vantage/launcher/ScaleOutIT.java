package io.vantage.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vantage.testing.Await;
import io.vantage.testing.TestHttp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Separate deployables on one Kafka cluster: a collector and two processors. Each processor holds
 * part of the partitions; either answers every query by gathering the other's part, and when one
 * stops the other takes its partitions over with their state.
 */
class ScaleOutIT {
    private static final String TOKEN = "scale-out-admin-token-0123";
    @TempDir
    Path dir;

    private VantageConfig config(String name, String bootstrap) {
        return VantageConfig.fromEnv(Map.of("VANTAGE_PORT", "0", "VANTAGE_DATA_DIR", dir.resolve(name).toString(),
                "VANTAGE_KAFKA_BOOTSTRAP", bootstrap, "VANTAGE_ADMIN_TOKEN", TOKEN, "VANTAGE_SECRET", "scale-out-secret-0123456",
                "VANTAGE_PARTITIONS", "4"));
    }

    @Test
    void anyProcessorAnswersForTheWholeClusterAndTakesOverWhenAPeerStops() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"), "127.0.0.1", 0);
             VantageNode collector = VantageNode.start(config("collector", broker.bootstrap()), VantageNode.Role.COLLECTOR);
             VantageNode first = VantageNode.start(config("p1", broker.bootstrap()), VantageNode.Role.PROCESSOR)) {
            VantageNode second = VantageNode.start(config("p2", broker.bootstrap()), VantageNode.Role.PROCESSOR);
            TestHttp in = new TestHttp("http://127.0.0.1:" + collector.port(), TOKEN);
            TestHttp a = new TestHttp("http://127.0.0.1:" + first.port(), TOKEN);
            TestHttp b = new TestHttp("http://127.0.0.1:" + second.port(), TOKEN);
            assertThat(in.post("/api/sites", "{\"id\":\"example\",\"domain\":\"example.com\"}").status()).isEqualTo(201);

            // 200 page views of 40 visitors, spread over every partition
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 200; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"site\":\"example\",\"type\":\"pageview\",\"url\":\"https://example.com/p")
                        .append(i % 5).append("\",\"visitor_id\":\"v").append(i % 40).append("\",\"event_id\":\"e").append(i).append("\"}");
            }
            assertThat(in.withToken(null).post("/collect", batch.append(']').toString()).status()).isEqualTo(202);
            StringBuilder traits = new StringBuilder("[");
            for (int v = 0; v < 20; v++) {
                traits.append(v == 0 ? "" : ",").append("{\"site\":\"example\",\"type\":\"identify\",\"visitor_id\":\"v").append(v)
                        .append("\",\"traits\":{\"gender\":\"").append(v < 10 ? "f" : "m").append("\"}}");
            }
            assertThat(in.withToken(null).post("/collect", traits.append(']').toString()).status()).isEqualTo(202);
            LocalModeIT.awaitCaughtUp(a);

            String totals = "{\"site_id\":\"example\",\"metrics\":[\"visitors\",\"pageviews\",\"visits\"],\"date_range\":\"day\"}";
            assertThat(answer(a, totals)).as("first processor").isEqualTo("[40,200,40]");
            assertThat(answer(b, totals)).as("second processor").isEqualTo("[40,200,40]");
            String genders = "{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"day\","
                    + "\"dimensions\":[\"visitor:trait:gender\"],\"order_by\":[[\"visitor:trait:gender\",\"asc\"]]}";
            for (TestHttp processor : new TestHttp[] {a, b}) {
                assertThat(processor.post("/api/v2/query", genders).json().get("results").toString())
                        .isEqualTo("[{\"dimensions\":[\"(none)\"],\"metrics\":[20]},{\"dimensions\":[\"f\"],\"metrics\":[10]},"
                                + "{\"dimensions\":[\"m\"],\"metrics\":[10]}]");
            }
            for (TestHttp processor : new TestHttp[] {a, b}) {
                for (JsonNode partition : processor.get("/api/status").json().get("partitions")) {
                    if (partition.get("topic").asText().equals("vantage.events")) {
                        assertThat(partition.has("processed_event_time")).as("event time of every partition, from either instance")
                                .isTrue();
                    }
                }
            }
            for (int v = 0; v < 40; v += 7) {
                assertThat(a.get("/api/sites/example/visitors/v" + v).json().get("pageviews").asInt()).isEqualTo(5);
                assertThat(b.get("/api/sites/example/visitors/v" + v).json().get("pageviews").asInt()).isEqualTo(5);
            }

            // When the second processor stops, the first takes over every partition and its state
            second.close();
            assertThat(answer(a, totals)).isEqualTo("[40,200,40]");
        }
    }

    /** The metrics of the first row once the cluster answers (it answers 503 while partitions move). */
    private static String answer(TestHttp http, String body) {
        Map<String, String> last = new HashMap<>();
        Await.until(Duration.ofSeconds(90), "an answer from " + http, () -> {
            TestHttp.Response r = http.post("/api/v2/query", body);
            last.put("r", r.status() + " " + r.body());
            return r.status() == 200;
        });
        JsonNode json = new TestHttp.Response(200, last.get("r").substring(4), null).json();
        return json.get("results").get(0).get("metrics").toString();
    }
}
