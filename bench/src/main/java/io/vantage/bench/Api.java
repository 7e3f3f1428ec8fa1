package io.vantage.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vantage.model.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The bench's HTTP calls to a Vantage instance: one shared client, the admin token on every call. */
final class Api {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** A desktop Chrome: curl's and headless Chromium's own User-Agents are bots and would not be counted. */
    static final String BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private final String base;
    private final String token;

    Api(String base, String token) {
        this.base = base;
        this.token = token;
    }

    String base() {
        return base;
    }

    /** The answer's status and body. */
    record Answer(int status, String body) {
        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(body.isEmpty() ? "{}" : body);
        }
    }

    Answer call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("User-Agent", BROWSER_UA);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** A call that must succeed (2xx, or 409 for a site that exists). */
    JsonNode ok(String method, String path, String body) throws IOException, InterruptedException {
        Answer a = call(method, path, body);
        if (a.status() >= 300 && a.status() != 409) {
            throw new IllegalStateException(method + " " + path + " answered " + a.status() + ": " + a.body());
        }
        return a.json();
    }

    void createSite(String id) throws IOException, InterruptedException {
        ok("POST", "/api/sites", "{\"id\":\"" + id + "\",\"domain\":\"" + id + ".example\"}");
    }

    /** Waits until {@code /api/status} says every partition is processed, or the deadline passes; true when caught up. */
    boolean awaitCaughtUp(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Answer a = call("GET", "/api/status", null);
            if (a.status() == 200 && a.json().path("caught_up").asBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
