package io.vantage.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.testing.TestHttp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of a local-mode node, walked with no token, a foreign site's read key, the site's
 * own read key and the admin token. The table must name every route the server registered, so a
 * new route without a line here fails this test.
 */
class AuthorizationIT {
    @TempDir
    Path dir;

    /** Who may call a route. */
    enum Access { PUBLIC, READER, ADMIN, PEER }

    record Call(Access access, String path, String body) {
    }

    @Test
    void everyRouteAnswersOnlyTheCallersItIsFor() {
        try (VantageNode node = VantageNode.start(VantageConfig.fromEnv(Map.of("VANTAGE_PORT", "0", "VANTAGE_DATA_DIR", dir.toString())),
                VantageNode.Role.LOCAL)) {
            TestHttp admin = new TestHttp("http://127.0.0.1:" + node.port(), node.adminToken());
            String own = admin.post("/api/sites", "{\"id\":\"mine\",\"domain\":\"mine.example\"}").json().get("read_key").asText();
            String foreign = admin.post("/api/sites", "{\"id\":\"theirs\",\"domain\":\"theirs.example\"}").json().get("read_key").asText();
            assertThat(admin.post("/collect", "{\"site\":\"mine\",\"type\":\"pageview\",\"url\":\"https://mine.example/\",\"visitor_id\":\"v1\"}")
                    .status()).isEqualTo(202);
            LocalModeIT.awaitCaughtUp(admin);

            String query = "{\"site_id\":\"mine\",\"metrics\":[\"visitors\"],\"date_range\":\"7d\"}";
            Map<String, Call> table = new LinkedHashMap<>();
            table.put("GET /", new Call(Access.PUBLIC, "/", null));
            table.put("GET /share/{id}", new Call(Access.PUBLIC, "/share/mine", null));
            table.put("GET /dashboard/dashboard.js", new Call(Access.PUBLIC, "/dashboard/dashboard.js", null));
            table.put("GET /dashboard/dashboard.css", new Call(Access.PUBLIC, "/dashboard/dashboard.css", null));
            table.put("GET /demo/", new Call(Access.PUBLIC, "/demo/", null));
            table.put("GET /demo/{page}", new Call(Access.PUBLIC, "/demo/pricing", null));
            table.put("GET /demo/demo.js", new Call(Access.PUBLIC, "/demo/demo.js", null));
            table.put("GET /demo/demo.css", new Call(Access.PUBLIC, "/demo/demo.css", null));
            table.put("GET /demo/media/tour.wav", new Call(Access.PUBLIC, "/demo/media/tour.wav", null));
            table.put("GET /demo/files/brochure.pdf", new Call(Access.PUBLIC, "/demo/files/brochure.pdf", null));
            table.put("GET /tracker.js", new Call(Access.PUBLIC, "/tracker.js", null));
            table.put("GET /health", new Call(Access.PUBLIC, "/health", null));
            table.put("OPTIONS /collect", new Call(Access.PUBLIC, "/collect", null));
            table.put("POST /collect", new Call(Access.PUBLIC, "/collect",
                    "{\"site\":\"mine\",\"type\":\"pageview\",\"url\":\"https://mine.example/a\",\"visitor_id\":\"v2\"}"));
            table.put("OPTIONS /api/event", new Call(Access.PUBLIC, "/api/event", null));
            table.put("POST /api/event", new Call(Access.PUBLIC, "/api/event",
                    "{\"n\":\"pageview\",\"u\":\"https://mine.example/p\",\"d\":\"mine.example\"}"));
            table.put("OPTIONS /api/send", new Call(Access.PUBLIC, "/api/send", null));
            table.put("OPTIONS /api/batch", new Call(Access.PUBLIC, "/api/batch", null));
            table.put("POST /api/send", new Call(Access.PUBLIC, "/api/send",
                    "{\"type\":\"event\",\"payload\":{\"website\":\"mine\",\"hostname\":\"mine.example\",\"url\":\"/u\"}}"));
            table.put("POST /api/batch", new Call(Access.PUBLIC, "/api/batch",
                    "[{\"type\":\"event\",\"payload\":{\"website\":\"mine\",\"hostname\":\"mine.example\",\"url\":\"/b\"}}]"));
            String posthog = "{\"api_key\":\"mine\",\"event\":\"$pageview\",\"properties\":{\"distinct_id\":\"p1\","
                    + "\"$current_url\":\"https://mine.example/ph\"}}";
            for (String path : List.of("/e", "/i/v0/e", "/capture", "/batch", "/track", "/engage")) {
                table.put("OPTIONS " + path, new Call(Access.PUBLIC, path + "/", null));
                table.put("POST " + path, new Call(Access.PUBLIC, path + "/", posthog));
            }
            for (String path : List.of("/decide", "/flags")) {
                table.put("OPTIONS " + path, new Call(Access.PUBLIC, path + "/", null));
                table.put("POST " + path, new Call(Access.PUBLIC, path + "/", "{\"token\":\"mine\"}"));
                table.put("GET " + path, new Call(Access.PUBLIC, path + "/", null));
            }
            table.put("OPTIONS /com.snowplowanalytics.snowplow/tp2", new Call(Access.PUBLIC, "/com.snowplowanalytics.snowplow/tp2", null));
            table.put("POST /com.snowplowanalytics.snowplow/tp2", new Call(Access.PUBLIC, "/com.snowplowanalytics.snowplow/tp2",
                    "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4\",\"data\":[{\"e\":\"pv\","
                    + "\"aid\":\"mine\",\"duid\":\"s1\",\"url\":\"https://mine.example/sp\"}]}"));
            table.put("GET /i", new Call(Access.PUBLIC, "/i?e=pv&aid=mine&duid=s2&url=https%3A%2F%2Fmine.example%2Fi", null));
            for (String path : List.of("/matomo.php", "/piwik.php")) {
                String params = "idsite=mine&rec=1&_id=0123456789abcdef&url=https%3A%2F%2Fmine.example%2Fm";
                table.put("OPTIONS " + path, new Call(Access.PUBLIC, path, null));
                table.put("GET " + path, new Call(Access.PUBLIC, path + "?" + params, null));
                table.put("POST " + path, new Call(Access.PUBLIC, path, params));
            }
            table.put("POST /mp/collect", new Call(Access.PUBLIC, "/mp/collect?measurement_id=mine",
                    "{\"client_id\":\"1.2\",\"events\":[{\"name\":\"page_view\",\"params\":{\"page_location\":\"https://mine.example/g\"}}]}"));
            table.put("GET /collect.gif", new Call(Access.PUBLIC, "/collect.gif?site=mine&type=pageview&url=https://mine.example/b&visitor_id=v3", null));
            table.put("POST /api/v2/query", new Call(Access.READER, "/api/v2/query", query));
            table.put("GET /api/sites/{id}", new Call(Access.READER, "/api/sites/mine", null));
            table.put("GET /api/v1/stats/realtime/visitors", new Call(Access.READER, "/api/v1/stats/realtime/visitors?site_id=mine", null));
            table.put("GET /api/v1/stats/aggregate", new Call(Access.READER, "/api/v1/stats/aggregate?site_id=mine", null));
            table.put("GET /api/v1/stats/timeseries", new Call(Access.READER, "/api/v1/stats/timeseries?site_id=mine&period=7d", null));
            table.put("GET /api/v1/stats/breakdown", new Call(Access.READER, "/api/v1/stats/breakdown?site_id=mine&property=event:page", null));
            String week = "?startAt=" + (System.currentTimeMillis() - 7 * 86_400_000L) + "&endAt=" + (System.currentTimeMillis() + 60_000);
            table.put("GET /api/websites/{id}/stats", new Call(Access.READER, "/api/websites/mine/stats" + week, null));
            table.put("GET /api/websites/{id}/pageviews", new Call(Access.READER, "/api/websites/mine/pageviews" + week + "&unit=day", null));
            table.put("GET /api/websites/{id}/metrics", new Call(Access.READER, "/api/websites/mine/metrics" + week + "&type=url", null));
            table.put("GET /api/websites/{id}/active", new Call(Access.READER, "/api/websites/mine/active", null));
            table.put("GET /api/sites/{id}/realtime", new Call(Access.READER, "/api/sites/mine/realtime", null));
            table.put("GET /api/sites/{id}/live", new Call(Access.READER, "/api/sites/mine/live", null));
            table.put("GET /api/sites/{id}/visitors/{visitor}", new Call(Access.READER, "/api/sites/mine/visitors/v1", null));
            table.put("DELETE /api/sites/{id}/visitors/{visitor}", new Call(Access.ADMIN, "/api/sites/mine/visitors/v9", null));
            table.put("PATCH /api/sites/{id}", new Call(Access.ADMIN, "/api/sites/mine", "{\"retention_days\":400}"));
            table.put("POST /api/sites", new Call(Access.ADMIN, "/api/sites", "{\"id\":\"new-one\",\"domain\":\"new.example\"}"));
            table.put("GET /api/sites", new Call(Access.ADMIN, "/api/sites", null));
            table.put("POST /api/sites/{id}/read-keys", new Call(Access.ADMIN, "/api/sites/mine/read-keys", ""));
            table.put("DELETE /api/sites/{id}/read-keys/{key}", new Call(Access.ADMIN, "/api/sites/mine/read-keys/k2", null));
            table.put("POST /api/import", new Call(Access.ADMIN, "/api/import?site=mine",
                    "{\"type\":\"pageview\",\"url\":\"https://mine.example/i\",\"visitor_id\":\"v4\",\"ts\":\"2024-01-01T00:00:00Z\"}\n"));
            table.put("GET /api/status", new Call(Access.ADMIN, "/api/status", null));
            table.put("GET /metrics", new Call(Access.ADMIN, "/metrics", null));
            table.put("GET /api/filtered", new Call(Access.ADMIN, "/api/filtered", null));
            table.put("POST /internal/v1/scan", new Call(Access.PEER, "/internal/v1/scan", "{}"));
            table.put("GET /internal/v1/progress", new Call(Access.PEER, "/internal/v1/progress", null));
            table.put("GET /internal/v1/counted", new Call(Access.PEER, "/internal/v1/counted", null));
            table.put("POST /internal/v1/first-visit", new Call(Access.PEER, "/internal/v1/first-visit", "{\"site\":\"mine\"}"));
            table.put("GET /internal/v1/visit-history", new Call(Access.PEER, "/internal/v1/visit-history?site=mine&visitor=v1", null));
            table.put("GET /internal/v1/profile", new Call(Access.PEER, "/internal/v1/profile?site=mine&visitor=v1", null));

            assertThat(node.routes()).as("the table names every route of the server").containsExactlyInAnyOrderElementsOf(table.keySet());

            TestHttp nobody = admin.withToken(null);
            TestHttp foreignKey = admin.withToken(foreign);
            TestHttp ownKey = admin.withToken(own);
            List<String> wrong = new ArrayList<>();
            table.forEach((route, call) -> {
                String method = route.substring(0, route.indexOf(' '));
                int none = send(nobody, method, call).status();
                int theirs = send(foreignKey, method, call).status();
                int mine = send(ownKey, method, call).status();
                // The admin last: it creates a site and revokes a key, which the others must not have done.
                int root = send(admin, method, call).status();
                boolean ok = switch (call.access()) {
                    case PUBLIC -> allowed(none) && allowed(theirs) && allowed(mine) && allowed(root);
                    case READER -> none == 401 && theirs == 403 && allowed(mine) && allowed(root);
                    case ADMIN -> none == 401 && theirs == 403 && mine == 403 && allowed(root);
                    // Peers sign their calls; no bearer token opens them, the admin token neither.
                    case PEER -> none == 401 && denied(theirs) && denied(mine) && denied(root);
                };
                if (!ok) {
                    wrong.add(route + " (" + call.access() + "): none " + none + ", foreign key " + theirs + ", own key " + mine + ", admin " + root);
                }
            });
            assertThat(wrong).as("routes that answered the wrong callers").isEmpty();
        }
    }

    private static boolean allowed(int status) {
        return status >= 200 && status < 300;
    }

    private static boolean denied(int status) {
        return status == 401 || status == 403;
    }

    private static TestHttp.Response send(TestHttp http, String method, Call call) {
        return switch (method) {
            // A stream of server-sent events: its first event is enough.
            case "GET" -> call.path().endsWith("/live") ? http.stream(call.path(), 1) : http.get(call.path());
            case "POST" -> http.post(call.path(), call.body());
            case "DELETE" -> http.delete(call.path());
            case "PATCH" -> http.patch(call.path(), call.body());
            case "OPTIONS" -> http.options(call.path(), "Origin", "https://mine.example", "Access-Control-Request-Method", "POST");
            default -> throw new IllegalArgumentException(method);
        };
    }
}
