package io.vantage.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.vantage.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for tests against a running server: JSON bodies, an optional bearer token. */
public final class TestHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    public TestHttp(String base, String token) {
        this.base = base;
        this.token = token;
    }

    public TestHttp withToken(String other) {
        return new TestHttp(base, other);
    }

    /** A response with its body as text and, when it is JSON, as a tree. */
    public record Response(int status, String body, HttpHeaders headers) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Response post(String path, String body, String... headers) {
        return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response post(String path, byte[] body, String... headers) {
        return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Response get(String path, String... headers) {
        return send(request(path, headers).GET());
    }

    public Response options(String path, String... headers) {
        return send(request(path, headers).method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.header("User-Agent", TestEvents.CHROME_UA);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]);
        }
        return b;
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
