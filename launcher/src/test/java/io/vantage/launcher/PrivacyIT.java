package io.vantage.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vantage.testing.Await;
import io.vantage.testing.TestHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The privacy promise on a real broker: after live, bad, bot, late and imported traffic from known
 * IP addresses, User-Agents and log hosts, no record of any topic (event topics, bad events, dead
 * letters, changelogs, Kafka's own internal topics) and no file of the data directory holds any
 * of them, while what they tell (visitors apart, countries, browsers) is counted.
 */
class PrivacyIT {
    /** A browser's User-Agent with a build number found nowhere else. */
    private static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.6167.8537 Safari/537.36";
    private static final String BOT_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html) Build/6167.8537";
    private static final List<String> NEEDLES = List.of("203.0.113.77", "203.0.113.78", "198.51.100.23", "192.0.2.55",
            "piweba3y.prodigy.com", "6167.8537");

    @TempDir
    Path data;

    @Test
    void noTopicAndNoStoreHoldsAnIpOrAUserAgent() throws Exception {
        VantageConfig config = VantageConfig.fromEnv(Map.of("VANTAGE_PORT", "0", "VANTAGE_DATA_DIR", data.toString(),
                "VANTAGE_PARTITIONS", "2", "VANTAGE_TRUSTED_PROXIES", "127.0.0.1"));
        try (VantageNode node = VantageNode.start(config, VantageNode.Role.LOCAL)) {
            TestHttp admin = new TestHttp("http://127.0.0.1:" + node.port(), node.adminToken());
            TestHttp browser = admin.withToken(null);
            assertThat(admin.post("/api/sites", "{\"id\":\"example\",\"domain\":\"example.com\"}").status()).isEqualTo(201);

            // Given cookieless beacons from two visitors behind our proxy, one with an id, a bot, a bad and a late beacon
            for (String ip : List.of("203.0.113.77", "203.0.113.78")) {
                assertThat(browser.post("/collect", "{\"site\":\"example\",\"type\":\"pageview\",\"url\":\"https://example.com/\"}",
                        "User-Agent", UA, "X-Forwarded-For", ip).status()).isEqualTo(202);
            }
            assertThat(browser.post("/collect", "[{\"site\":\"example\",\"type\":\"pageview\",\"url\":\"https://example.com/a\",\"visitor_id\":\"v1\"},"
                    + "{\"site\":\"example\",\"type\":\"click\",\"x\":\"left\",\"visitor_id\":\"v1\",\"ip\":\"203.0.113.77\"},"
                    + "{\"site\":\"example\",\"type\":\"pageview\",\"url\":\"https://example.com/late\",\"visitor_id\":\"v1\","
                    + "\"ts\":" + (System.currentTimeMillis() - 25 * 3_600_000L) + "}]",
                    "User-Agent", UA, "X-Forwarded-For", "203.0.113.77").status()).isEqualTo(400);
            assertThat(browser.post("/collect", "{\"site\":\"example\",\"type\":\"pageview\",\"url\":\"https://example.com/\"}",
                    "User-Agent", BOT_UA, "X-Forwarded-For", "203.0.113.78").status()).isEqualTo(202);
            assertThat(browser.post("/collect", "{not json 203.0.113.77", "User-Agent", UA).status()).isEqualTo(400);

            // And an import: NDJSON naming its client, a bad line naming it, and access-log lines of a host name and an address
            String ndjson = "{\"type\":\"pageview\",\"url\":\"/old\",\"ts\":\"1995-08-01T06:00:00Z\",\"ip\":\"198.51.100.23\",\"user_agent\":\"" + UA + "\"}\n"
                    + "{\"type\":\"pageview\",\"url\":\"/bad\",\"ip\":\"198.51.100.23\",\"user_agent\":\"" + UA + "\"}\n"
                    + LogImport.toEvent("piweba3y.prodigy.com - - [01/Aug/1995:00:00:01 -0400] \"GET /shuttle/ HTTP/1.0\" 200 1839",
                    LogImport.Format.CLF, "example", "nasa.log", 1).orElseThrow() + "\n"
                    + LogImport.toEvent("192.0.2.55 - - [01/Aug/1995:00:00:02 -0400] \"GET /history/ HTTP/1.0\" 200 1839 \"-\" \"" + UA + "\"",
                    LogImport.Format.COMBINED, "example", "access.log", 1).orElseThrow();
            JsonNode imported = admin.post("/api/import?site=example", ndjson).json();
            assertThat(imported.get("accepted").asInt()).isEqualTo(3);

            // When the processor has counted everything
            Await.until(Duration.ofSeconds(60), "the processor to catch up",
                    () -> admin.get("/api/status").json().path("caught_up").asBoolean(false));

            // Then what the addresses and User-Agents tell is counted: two cookieless visitors apart, their browser
            JsonNode today = LocalModeIT.query(admin, "{\"site_id\":\"example\",\"metrics\":[\"visitors\"],\"date_range\":\"day\","
                    + "\"dimensions\":[\"visit:browser\"]}").get("results");
            assertThat(today).hasSize(1);
            assertThat(today.get(0).get("dimensions").get(0).asText()).isEqualTo("Chrome");
            assertThat(today.get(0).get("metrics").get(0).asLong()).as("two proxied visitors and v1").isEqualTo(3);
            JsonNode history = LocalModeIT.query(admin, "{\"site_id\":\"example\",\"metrics\":[\"visitors\"],"
                    + "\"date_range\":[\"1995-07-31\",\"1995-08-01\"]}").get("results");
            assertThat(history.get(0).get("metrics").get(0).asLong()).as("three imported clients").isEqualTo(3);

            // And no record of any topic holds any of them
            Map<String, Long> scanned = new java.util.TreeMap<>();
            List<String> found = scanTopics(node.kafkaBootstrap(), scanned);
            assertThat(scanned).containsKeys("vantage.events", "vantage.imports", "vantage.events.bad", "__consumer_offsets");
            assertThat(scanned.keySet()).anyMatch(t -> t.endsWith("-changelog"));
            assertThat(scanned.get("vantage.events.bad")).as("bad records were written, and scanned").isGreaterThanOrEqualTo(4);
            assertThat(found).isEmpty();
        }
        // And no file of the data directory (state stores, Kafka's log) holds them either
        assertThat(scanFiles(data)).isEmpty();
    }

    /** Every record of every topic, internal ones included, searched for the needles; counts per topic in {@code scanned}. */
    private static List<String> scanTopics(String bootstrap, Map<String, Long> scanned) throws Exception {
        List<String> found = new ArrayList<>();
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS);
            Collection<TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values();
            List<TopicPartition> partitions = new ArrayList<>();
            described.forEach(d -> d.partitions().forEach(i -> partitions.add(new TopicPartition(d.name(), i.partition()))));
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            // Aborted transactions too: whatever reached the broker.
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                long deadline = System.currentTimeMillis() + 60_000;
                while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        scanned.merge(r.topic(), 1L, Long::sum);
                        search(r.topic() + "@" + r.offset() + " key", r.key(), found);
                        search(r.topic() + "@" + r.offset() + " value", r.value(), found);
                        for (Header h : r.headers()) {
                            search(r.topic() + "@" + r.offset() + " header " + h.key(), h.value(), found);
                        }
                    }
                }
                assertThat(partitions).as("every partition read to its end").allMatch(tp -> consumer.position(tp) >= end.get(tp));
            }
        }
        return found;
    }

    private static List<String> scanFiles(Path root) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                search(f.toString(), Files.readAllBytes(f), found);
            }
        }
        return found;
    }

    private static void search(String where, byte[] bytes, List<String> found) {
        if (bytes == null) {
            return;
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        Set<String> hits = new TreeSet<>();
        for (String needle : NEEDLES) {
            if (text.contains(needle)) {
                hits.add(needle);
            }
        }
        if (!hits.isEmpty()) {
            found.add(where + ": " + hits);
        }
    }
}
