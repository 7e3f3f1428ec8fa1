package io.vantage.launcher;

import static io.vantage.launcher.LocalModeIT.awaitCaughtUp;
import static io.vantage.launcher.LocalModeIT.metrics;
import static io.vantage.launcher.LocalModeIT.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vantage.testing.Await;
import io.vantage.testing.TestHttp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A visitor's data exported and erased end to end in local mode (a real broker): the admin's
 * {@code GET /api/sites/{id}/visitors/{visitor}} holds every visit with its events, {@code DELETE}
 * of the same path erases profile, traits and visits, and the numbers lose exactly that visitor.
 * A site's retention is set with {@code PATCH /api/sites/{id}}.
 */
class ErasureIT {
    @TempDir
    Path data;

    @Test
    void exportsAndErasesAVisitorAndSetsASitesRetention() {
        VantageConfig config = VantageConfig.fromEnv(Map.of("VANTAGE_PORT", "0", "VANTAGE_DATA_DIR", data.toString(),
                "VANTAGE_PARTITIONS", "2"));
        try (VantageNode node = VantageNode.start(config, VantageNode.Role.LOCAL)) {
            TestHttp admin = new TestHttp("http://127.0.0.1:" + node.port(), node.adminToken());
            TestHttp browser = admin.withToken(null);
            JsonNode created = admin.post("/api/sites", "{\"id\":\"shop\",\"domain\":\"shop.example\"}").json();
            TestHttp reader = admin.withToken(created.get("read_key").asText());

            // Given alice, identified with a trait, with two page views, and bob with one
            assertThat(browser.post("/collect", "[" + pageview("alice", "/") + "," + pageview("alice", "/pricing") + ","
                    + "{\"site\":\"shop\",\"type\":\"identify\",\"visitor_id\":\"alice\",\"traits\":{\"gender\":\"f\"}},"
                    + pageview("bob", "/") + "]").status()).isEqualTo(202);
            awaitCaughtUp(admin);
            assertThat(metrics(visitors(admin), 0)).containsExactly(2L);

            // When the admin exports alice
            JsonNode export = admin.get("/api/sites/shop/visitors/alice").json();

            // Then the export holds her profile and her visit with its events in order
            assertThat(export.get("traits").get("gender").asText()).isEqualTo("f");
            assertThat(export.get("visit_history")).hasSize(1);
            JsonNode visit = export.get("visit_history").get(0);
            assertThat(visit.get("browser").asText()).isEqualTo("Chrome");
            assertThat(visit.get("events")).extracting(e -> e.get("page").asText()).containsExactly("/", "/pricing");
            // And a read key sees the profile but no visit history
            JsonNode shared = reader.get("/api/sites/shop/visitors/alice").json();
            assertThat(shared.get("visits").asInt()).isEqualTo(1);
            assertThat(shared.has("visit_history")).isFalse();

            // When a read key tries to erase her, it may not; when the admin does, the request is accepted
            assertThat(reader.delete("/api/sites/shop/visitors/alice").status()).isEqualTo(403);
            TestHttp.Response erased = admin.delete("/api/sites/shop/visitors/alice");
            assertThat(erased.status()).as(erased.body()).isEqualTo(202);
            assertThat(admin.delete("/api/sites/nowhere/visitors/alice").status()).isEqualTo(404);

            // Then she is gone from the profile API, and the numbers count bob alone
            Await.until(Duration.ofSeconds(30), "alice to be erased",
                    () -> admin.get("/api/sites/shop/visitors/alice").status() == 404);
            assertThat(metrics(visitors(admin), 0)).containsExactly(1L);
            JsonNode traits = query(admin, "{\"site_id\":\"shop\",\"metrics\":[\"visitors\"],\"date_range\":\"day\","
                    + "\"dimensions\":[\"visitor:trait:gender\"]}");
            assertThat(traits.get("results").toString()).doesNotContain("\"f\"");
            assertThat(admin.get("/api/sites/shop/visitors/bob").status()).isEqualTo(200);

            // When the admin sets a retention of 90 days
            TestHttp.Response changed = admin.patch("/api/sites/shop", "{\"retention_days\":90}");

            // Then the site says so, and a field that cannot change is named in a 400
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);
            assertThat(admin.get("/api/sites/shop").json().get("retention_days").asInt()).isEqualTo(90);
            // And a query reaching back before the horizon says from when data is kept
            Await.until(Duration.ofSeconds(10), "the retention to reach the query service", () -> query(admin,
                    "{\"site_id\":\"shop\",\"metrics\":[\"visitors\"],\"date_range\":[\"2020-01-01\",\"2020-01-31\"]}")
                    .get("meta").has("retained_from"));
            assertThat(visitors(admin).get("meta").has("retained_from")).isFalse();
            TestHttp.Response refused = admin.patch("/api/sites/shop", "{\"domain\":\"elsewhere.example\"}");
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().get("field").asText()).isEqualTo("domain");
            assertThat(admin.patch("/api/sites/shop", "{\"retention_days\":-1}").json().get("field").asText()).isEqualTo("retention_days");
        }
    }

    private static JsonNode visitors(TestHttp admin) {
        return query(admin, "{\"site_id\":\"shop\",\"metrics\":[\"visitors\"],\"date_range\":\"day\"}");
    }

    private static String pageview(String visitor, String path) {
        return "{\"site\":\"shop\",\"type\":\"pageview\",\"url\":\"https://shop.example" + path + "\",\"visitor_id\":\"" + visitor + "\"}";
    }
}
