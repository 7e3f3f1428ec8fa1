package io.vantage.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vantage.model.BadEvent;
import io.vantage.model.Topics;
import io.vantage.testing.Await;
import io.vantage.testing.TestHttp;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spine end to end on a real single-node KRaft broker in local mode: events in over HTTP
 * (single, batch, import), numbers out of {@code /api/v2/query}, bad input on the bad topic, and
 * everything still there after a restart on the same data directory.
 */
class LocalModeIT {
    @TempDir
    Path data;

    @Test
    void countsEventsFromHttpExactlyAndKeepsThemAcrossARestart() throws Exception {
        VantageConfig config = VantageConfig.fromEnv(Map.of("VANTAGE_PORT", "0", "VANTAGE_DATA_DIR", data.toString(),
                "VANTAGE_PARTITIONS", "3"));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode dayBefore;
        JsonNode pagesBefore;
        JsonNode historyBefore;
        try (VantageNode node = VantageNode.start(config, VantageNode.Role.LOCAL)) {
            TestHttp admin = new TestHttp("http://127.0.0.1:" + node.port(), node.adminToken());
            TestHttp browser = admin.withToken(null);

            // Given a site
            assertThat(admin.post("/api/sites", "{\"id\":\"example\",\"domain\":\"example.com\"}").status()).isEqualTo(201);

            // When a single beacon, a batch of three (one a repeat of the single one's event_id), a bot and an import arrive
            assertThat(browser.post("/collect", event("v1", "/", "e1"), "Content-Type", "text/plain").status()).isEqualTo(202);
            assertThat(browser.post("/collect", "[" + event("v2", "/", "e2") + "," + event("v2", "/pricing", "e3") + ","
                    + event("v1", "/", "e1") + "]").json().get("accepted").asInt()).isEqualTo(3);
            assertThat(browser.post("/collect", event("bot", "/", "e4"), "User-Agent", "Googlebot/2.1 (+http://www.google.com/bot.html)")
                    .status()).isEqualTo(202);
            String ndjson = "{\"type\":\"pageview\",\"url\":\"/history\",\"visitor_id\":\"h1\",\"ts\":\"1995-08-01T06:00:00Z\"}\n"
                    + "{\"type\":\"pageview\",\"url\":\"/history\",\"visitor_id\":\"h2\",\"ts\":\"1995-08-01T07:00:00Z\"}\n"
                    + "{\"type\":\"pageview\",\"url\":\"/history\",\"visitor_id\":\"h2\",\"ts\":\"1995-08-02T07:00:00Z\"}\n";
            JsonNode imported = admin.post("/api/import?site=example", ndjson).json();
            assertThat(imported.get("accepted").asInt()).isEqualTo(3);
            assertThat(browser.post("/collect", "{\"site\":\"example\",\"type\":\"click\",\"visitor_id\":\"v\",\"x\":\"left\"}").status())
                    .isEqualTo(400);
            awaitCaughtUp(admin);

            // Then today counts 3 pageviews of 2 visitors (the repeat and the bot are not counted)
            dayBefore = query(admin, "{\"site_id\":\"example\",\"metrics\":[\"visitors\",\"pageviews\",\"events\"],"
                    + "\"date_range\":\"day\",\"dimensions\":[\"time:day\"]}");
            assertThat(dayBefore.get("results")).hasSize(1);
            assertThat(dayBefore.get("results").get(0).get("dimensions").get(0).asText()).isEqualTo(today);
            assertThat(metrics(dayBefore, 0)).containsExactly(2L, 3L, 3L);

            pagesBefore = query(admin, "{\"site_id\":\"example\",\"metrics\":[\"pageviews\",\"visitors\"],"
                    + "\"date_range\":\"7d\",\"dimensions\":[\"event:page\"]}");
            assertThat(pagesBefore.get("results").get(0).get("dimensions").get(0).asText()).isEqualTo("/");
            assertThat(metrics(pagesBefore, 0)).containsExactly(2L, 2L);
            assertThat(metrics(pagesBefore, 1)).containsExactly(1L, 1L);

            // And the 1995 import is counted on its own days, as if it had been live
            historyBefore = query(admin, "{\"site_id\":\"example\",\"metrics\":[\"visitors\",\"pageviews\"],"
                    + "\"date_range\":[\"1995-08-01\",\"1995-08-02\"],\"dimensions\":[\"time:day\"]}");
            assertThat(metrics(historyBefore, 0)).containsExactly(2L, 2L);
            assertThat(metrics(historyBefore, 1)).containsExactly(1L, 1L);
            JsonNode wholeRange = query(admin, "{\"site_id\":\"example\",\"metrics\":[\"visitors\"],"
                    + "\"date_range\":[\"1995-08-01\",\"1995-08-02\"]}");
            assertThat(metrics(wholeRange, 0)).as("distinct visitors over two days").containsExactly(2L);

            // And the realtime view and the visitor profile agree
            JsonNode realtime = admin.get("/api/sites/example/realtime").json();
            assertThat(realtime.get("visitors").asLong()).isEqualTo(2);
            long perMinute = 0;
            for (JsonNode minute : realtime.get("minutes")) {
                perMinute += minute.get("pageviews").asLong();
            }
            assertThat(perMinute).as("page views of the last 30 minutes, minute by minute").isEqualTo(3);
            JsonNode profile = admin.get("/api/sites/example/visitors/v2").json();
            assertThat(profile.get("visits").asLong()).isEqualTo(1);
            assertThat(profile.get("pageviews").asLong()).isEqualTo(2);
            assertThat(profile.get("latest_visit").get("first_page").asText()).isEqualTo("/");
            assertThat(profile.get("latest_visit").get("last_page").asText()).isEqualTo("/pricing");
            assertThat(admin.get("/api/sites/example/visitors/nobody").status()).isEqualTo(404);
            String readKey = admin.post("/api/sites/example/read-keys", "").json().get("read_key").asText();
            assertThat(admin.withToken(readKey).post("/api/v2/query", "{\"site_id\":\"example\",\"metrics\":[\"visitors\"],"
                    + "\"date_range\":\"day\"}").status()).as("a read key may query its site").isEqualTo(200);
            assertThat(admin.withToken(null).post("/api/v2/query", "{\"site_id\":\"example\",\"metrics\":[\"visitors\"],"
                    + "\"date_range\":\"day\"}").status()).isEqualTo(401);

            // And the invalid beacon is on the bad-events topic with its reason
            assertThat(badEvents(node.kafkaBootstrap())).extracting(BadEvent::field).contains("x");
        }

        // When local mode restarts on the same data directory
        try (VantageNode node = VantageNode.start(config, VantageNode.Role.LOCAL)) {
            TestHttp admin = new TestHttp("http://127.0.0.1:" + node.port(), node.adminToken());
            awaitCaughtUp(admin);
            // Then every number is still there
            assertThat(query(admin, "{\"site_id\":\"example\",\"metrics\":[\"visitors\",\"pageviews\",\"events\"],"
                    + "\"date_range\":\"day\",\"dimensions\":[\"time:day\"]}").get("results")).isEqualTo(dayBefore.get("results"));
            assertThat(query(admin, "{\"site_id\":\"example\",\"metrics\":[\"pageviews\",\"visitors\"],"
                    + "\"date_range\":\"7d\",\"dimensions\":[\"event:page\"]}").get("results")).isEqualTo(pagesBefore.get("results"));
            assertThat(query(admin, "{\"site_id\":\"example\",\"metrics\":[\"visitors\",\"pageviews\"],"
                    + "\"date_range\":[\"1995-08-01\",\"1995-08-02\"],\"dimensions\":[\"time:day\"]}").get("results"))
                    .isEqualTo(historyBefore.get("results"));
            assertThat(admin.get("/health").status()).isEqualTo(200);
            String metrics = admin.get("/metrics").body();
            assertThat(metrics).contains("vantage_events_accepted_total");
            // Every series the provisioned Grafana dashboard plots exists (a renamed metric would leave a panel empty).
            java.util.regex.Matcher used = java.util.regex.Pattern.compile("\\b((?:vantage|jvm|process|kafka)_[a-z_]+)")
                    .matcher(java.nio.file.Files.readString(java.nio.file.Path.of("../ops/grafana/dashboards/vantage.json")));
            java.util.Set<String> series = new java.util.TreeSet<>();
            while (used.find()) {
                series.add(used.group(1));
            }
            // Counters by reason appear with their first refusal, drop or bad event; nothing of that kind was sent here.
            series.removeAll(java.util.Set.of("vantage_events_rejected_total", "vantage_events_dropped_total", "vantage_events_bad_total"));
            assertThat(series).hasSizeGreaterThan(8).allSatisfy(name -> assertThat(metrics).as("metric %s", name).contains(name));
            assertThat(admin.withToken(null).get("/metrics").status()).as("metrics are the admin's").isEqualTo(401);
            assertThat(admin.withToken(null).get("/api/status").status()).as("status is the admin's").isEqualTo(401);

            // A corrupt record on the sites topic is skipped: sites are still tailed and health stays true to it
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(java.util.Map.of(
                    "bootstrap.servers", node.kafkaBootstrap()), new org.apache.kafka.common.serialization.StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(io.vantage.model.Topics.SITES, "corrupt",
                        new byte[] {(byte) 0xff, 0x00, 0x7b})).get();
            }
            assertThat(admin.post("/api/sites", "{\"id\":\"after-corrupt\",\"domain\":\"after.example\"}").status()).isEqualTo(201);
            Await.until(Duration.ofSeconds(10), "the new site is read", () -> admin.get("/api/sites/after-corrupt").status() == 200);
            assertThat(admin.get("/health").json().get("sites").asText()).isEqualTo("ok");

            // Peers' internal endpoints take a peer signature, not the admin token (which never travels to a peer)
            assertThat(admin.post("/internal/v1/scan", "{}").status()).as("the admin token is not a peer's").isEqualTo(401);
            assertThat(admin.post("/internal/v1/scan", "{}", io.vantage.http.PeerAuth.HEADER, System.currentTimeMillis() + ".00ff")
                    .status()).as("a forged signature").isEqualTo(403);
            String signed = new io.vantage.http.PeerAuth("derived:" + node.adminToken())
                    .sign("GET", "/internal/v1/progress", new byte[0], System.currentTimeMillis());
            assertThat(admin.withToken(null).get("/internal/v1/progress", io.vantage.http.PeerAuth.HEADER, signed).status())
                    .as("a peer's signature").isEqualTo(200);
            assertThat(admin.withToken(null).get("/internal/v1/scan", io.vantage.http.PeerAuth.HEADER, signed).status())
                    .as("a signature is for one path").isIn(403, 404, 405);

            // The dashboard: strict CSP (no inline script or style), no framing, no sniffing, no referrer; no token from the URL
            TestHttp.Response page = admin.withToken(null).get("/");
            assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'", "frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline");
            assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
            assertThat(page.body()).doesNotContain("<script>", "<style>", "style=\"").contains("src=\"/dashboard/dashboard.js\"");
            TestHttp.Response script = admin.withToken(null).get("/dashboard/dashboard.js");
            assertThat(script.status()).isEqualTo(200);
            assertThat(script.body()).doesNotContain("params.get('token')");
            assertThat(admin.withToken(null).get("/dashboard/dashboard.css").status()).isEqualTo(200);
            TestHttp.Response health = admin.withToken(null).get("/health");
            assertThat(health.status()).as("health is open: %s", health.body()).isEqualTo(200);
        }
    }

    private static String event(String visitor, String path, String eventId) {
        return "{\"site\":\"example\",\"type\":\"pageview\",\"url\":\"https://example.com" + path + "\",\"visitor_id\":\""
                + visitor + "\",\"event_id\":\"" + eventId + "\"}";
    }

    static void awaitCaughtUp(TestHttp admin) {
        Await.until(Duration.ofSeconds(60), "the processor to catch up",
                () -> admin.get("/api/status").json().path("caught_up").asBoolean(false));
    }

    static JsonNode query(TestHttp http, String body) {
        TestHttp.Response r = http.post("/api/v2/query", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static List<Long> metrics(JsonNode response, int row) {
        List<Long> out = new ArrayList<>();
        response.get("results").get(row).get("metrics").forEach(m -> out.add(m.asLong()));
        return out;
    }

    private static List<BadEvent> badEvents(String bootstrap) {
        List<BadEvent> out = new ArrayList<>();
        try (KafkaConsumer<String, BadEvent> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "it-bad-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), Topics.BAD_EVENT_SERDE.deserializer())) {
            consumer.subscribe(List.of(Topics.BAD_EVENTS));
            Await.until(Duration.ofSeconds(30), "a bad event", () -> {
                for (ConsumerRecord<String, BadEvent> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
                return !out.isEmpty();
            });
        }
        return out;
    }
}
