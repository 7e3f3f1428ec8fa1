package io.vantage.launcher;

import static io.vantage.launcher.LocalModeIT.awaitCaughtUp;
import static io.vantage.launcher.LocalModeIT.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vantage.testing.TestHttp;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plausible's Stats API v1 and Umami's website statistics, answered by the v2 engine on a real
 * broker: for the same questions they give the numbers {@code POST /api/v2/query} gives.
 */
class PeerQueriesIT {
    private static final String UUID = "2f1d7c3e-0000-4000-8000-00000000abcd";
    @TempDir
    Path data;

    @Test
    void theV1AndUmamiEndpointsAnswerWithTheV2Numbers() {
        VantageConfig config = VantageConfig.fromEnv(Map.of("VANTAGE_PORT", "0", "VANTAGE_DATA_DIR", data.toString(),
                "VANTAGE_PARTITIONS", "2"));
        try (VantageNode node = VantageNode.start(config, VantageNode.Role.LOCAL)) {
            TestHttp admin = new TestHttp("http://127.0.0.1:" + node.port(), node.adminToken());
            String key = admin.post("/api/sites", "{\"id\":\"s\",\"domain\":\"s.example\",\"goals\":[\"signup\"],\"aliases\":[\"" + UUID + "\"]}")
                    .json().get("read_key").asText();
            String foreign = admin.post("/api/sites", "{\"id\":\"other\",\"domain\":\"o.example\"}").json().get("read_key").asText();
            TestHttp reader = admin.withToken(key);
            // Given three days of a small site: visits from Google and DuckDuckGo, a bounce, a signup
            String ndjson = String.join("\n",
                    line("pageview", "/", "a", "1995-08-01T10:00:00Z", "https://www.google.com/"),
                    line("pageview", "/b", "a", "1995-08-01T10:01:00Z", null),
                    line("pageview", "/", "b", "1995-08-01T11:00:00Z", "https://www.google.com/"),
                    line("pageview", "/c", "c", "1995-08-03T09:00:00Z", "https://duckduckgo.com/"),
                    "{\"type\":\"custom\",\"name\":\"signup\",\"url\":\"https://s.example/c\",\"visitor_id\":\"c\",\"ts\":\"1995-08-03T09:02:00Z\"}");
            assertThat(admin.post("/api/import?site=s", ndjson).json().get("accepted").asInt()).isEqualTo(5);
            awaitCaughtUp(admin);
            String range = "\"date_range\":[\"1995-08-01\",\"1995-08-03\"]";

            // Plausible v1 aggregate = v2 totals
            List<String> metrics = List.of("visitors", "visits", "pageviews", "bounce_rate", "visit_duration", "conversion_rate");
            JsonNode v2 = query(reader, "{\"site_id\":\"s\",\"metrics\":" + json(metrics) + "," + range + "}").get("results").get(0).get("metrics");
            JsonNode agg = reader.get("/api/v1/stats/aggregate?site_id=s&period=custom&date=1995-08-01,1995-08-03&metrics="
                    + String.join(",", metrics)).json().get("results");
            for (int i = 0; i < metrics.size(); i++) {
                assertThat(agg.get(metrics.get(i)).get("value").asDouble()).as(metrics.get(i)).isEqualTo(v2.get(i).asDouble());
            }
            assertThat(agg.get("visitors").get("value").asInt()).isEqualTo(3);

            // v1 timeseries: every day of the period, the empty one as 0, each = v2 by time:day
            JsonNode series = reader.get("/api/v1/stats/timeseries?site_id=s&period=custom&date=1995-08-01,1995-08-03&metrics=visitors,pageviews")
                    .json().get("results");
            JsonNode byDay = query(reader, "{\"site_id\":\"s\",\"metrics\":[\"visitors\",\"pageviews\"]," + range + ",\"dimensions\":[\"time:day\"]}")
                    .get("results");
            assertThat(series).extracting(p -> p.get("date").asText()).containsExactly("1995-08-01", "1995-08-02", "1995-08-03");
            assertThat(series.get(1).get("visitors").asInt()).isZero();
            for (JsonNode row : byDay) {
                JsonNode point = find(series, "date", row.get("dimensions").get(0).asText());
                assertThat(point.get("visitors").asLong()).isEqualTo(row.get("metrics").get(0).asLong());
                assertThat(point.get("pageviews").asLong()).isEqualTo(row.get("metrics").get(1).asLong());
            }

            // v1 breakdown with a v1 filter = v2 breakdown with the same filter
            JsonNode pages = reader.get("/api/v1/stats/breakdown?site_id=s&period=custom&date=1995-08-01,1995-08-03&property=event:page"
                    + "&metrics=visitors,pageviews&filters=visit:source%3D%3DGoogle").json().get("results");
            JsonNode v2Pages = query(reader, "{\"site_id\":\"s\",\"metrics\":[\"visitors\",\"pageviews\"]," + range
                    + ",\"dimensions\":[\"event:page\"],\"filters\":[[\"is\",\"visit:source\",[\"Google\"]]]}").get("results");
            assertThat(rows(pages, "page", "visitors", "pageviews")).isEqualTo(rows(v2Pages));
            assertThat(rows(pages, "page", "visitors", "pageviews")).containsExactly("/ 2 2", "/b 1 1");
            assertThat(reader.get("/api/v1/stats/realtime/visitors?site_id=s").body()).isEqualTo("0");

            // Umami, by its website id (an alias of the site): stats, pageviews, metrics, active
            long start = Instant.parse("1995-08-01T00:00:00Z").toEpochMilli();
            long end = Instant.parse("1995-08-04T00:00:00Z").toEpochMilli();
            String window = "?startAt=" + start + "&endAt=" + end;
            JsonNode stats = reader.get("/api/websites/" + UUID + "/stats" + window).json();
            JsonNode v2Totals = query(reader, "{\"site_id\":\"s\",\"metrics\":[\"pageviews\",\"visitors\",\"visits\",\"bounce_rate\"],"
                    + "\"date_range\":[" + start + "," + end + "]}").get("results").get(0).get("metrics");
            assertThat(stats.get("pageviews").get("value").asLong()).isEqualTo(v2Totals.get(0).asLong());
            assertThat(stats.get("visitors").get("value").asLong()).isEqualTo(v2Totals.get(1).asLong());
            assertThat(stats.get("visits").get("value").asLong()).isEqualTo(v2Totals.get(2).asLong());
            assertThat(stats.get("bounces").get("value").asLong()).isEqualTo(Math.round(v2Totals.get(3).asDouble() * v2Totals.get(2).asLong() / 100));
            assertThat(stats.get("bounces").get("value").asLong()).isEqualTo(1);
            JsonNode views = reader.get("/api/websites/" + UUID + "/pageviews" + window + "&unit=day").json();
            assertThat(views.get("pageviews")).extracting(p -> p.get("x").asText() + " " + p.get("y").asLong())
                    .containsExactly("1995-08-01 3", "1995-08-03 1");
            JsonNode urls = reader.get("/api/websites/" + UUID + "/metrics" + window + "&type=url").json();
            JsonNode v2Urls = query(reader, "{\"site_id\":\"s\",\"metrics\":[\"pageviews\"],\"date_range\":[" + start + "," + end
                    + "],\"dimensions\":[\"event:page\"]}").get("results");
            assertThat(rows(urls, "x", "y")).isEqualTo(rows(v2Urls));
            JsonNode events = reader.get("/api/websites/" + UUID + "/metrics" + window + "&type=event").json();
            assertThat(rows(events, "x", "y")).containsExactly("signup 1");
            assertThat(reader.get("/api/websites/" + UUID + "/active").json().get("x").asInt()).isZero();

            // A foreign site's key may not read it; a property or type Vantage lacks is a 400 that names it
            assertThat(admin.withToken(foreign).get("/api/v1/stats/aggregate?site_id=s").status()).isEqualTo(403);
            assertThat(reader.get("/api/v1/stats/breakdown?site_id=s&property=visit:city").json().get("field").asText()).isEqualTo("property");
            assertThat(reader.get("/api/websites/s/metrics" + window + "&type=language").json().get("field").asText()).isEqualTo("type");
        }
    }

    private static String line(String type, String path, String visitor, String ts, String referrer) {
        return "{\"type\":\"" + type + "\",\"url\":\"https://s.example" + path + "\",\"visitor_id\":\"" + visitor + "\",\"ts\":\"" + ts + "\""
                + (referrer == null ? "" : ",\"referrer\":\"" + referrer + "\"") + "}";
    }

    private static String json(List<String> list) {
        return "[\"" + String.join("\",\"", list) + "\"]";
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (n.get(field).asText().equals(value)) {
                return n;
            }
        }
        throw new AssertionError("no " + field + " " + value + " in " + array);
    }

    /** "dimension metric..." per row of a peer's answer. */
    private static List<String> rows(JsonNode array, String... fields) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            List<String> parts = new ArrayList<>();
            for (String f : fields) {
                parts.add(n.get(f).asText());
            }
            out.add(String.join(" ", parts));
        }
        return out;
    }

    /** "dimension metric..." per row of a v2 answer. */
    private static List<String> rows(JsonNode v2Results) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : v2Results) {
            List<String> parts = new ArrayList<>();
            r.get("dimensions").forEach(d -> parts.add(d.asText()));
            r.get("metrics").forEach(m -> parts.add(m.asText()));
            out.add(String.join(" ", parts));
        }
        return out;
    }
}
