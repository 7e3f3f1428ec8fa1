package io.vantage.api;

import com.fasterxml.jackson.databind.JavaType;
import io.vantage.http.ApiException;
import io.vantage.model.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;

/** Calls the internal endpoints of peer instances with one shared HTTP client, each request signed ({@link PeerAuth}). */
public final class PeerClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final io.vantage.http.PeerAuth auth;

    public PeerClient(io.vantage.http.PeerAuth auth) {
        this.auth = auth;
    }

    public <T> T post(HostInfo peer, String path, Object body, Class<T> type) {
        try {
            byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
            return send(peer, request(peer, path, "POST", bytes).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)), type);
        } catch (IOException e) {
            throw unavailable(peer, e);
        }
    }

    public <T> T get(HostInfo peer, String path, Class<T> type) {
        return send(peer, request(peer, path, "GET", new byte[0]).GET(), type);
    }

    private HttpRequest.Builder request(HostInfo peer, String path, String method, byte[] body) {
        return HttpRequest.newBuilder(uri(peer, path)).timeout(TIMEOUT)
                .header(io.vantage.http.PeerAuth.HEADER, auth.sign(method, path, body, System.currentTimeMillis()));
    }

    private <T> T send(HostInfo peer, HttpRequest.Builder request, Class<T> type) {
        try {
            return read(peer, http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()), Json.MAPPER.constructType(type));
        } catch (IOException e) {
            throw unavailable(peer, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(peer, e);
        }
    }

    private static URI uri(HostInfo peer, String path) {
        return URI.create("http://" + peer.host() + ":" + peer.port() + path);
    }

    private static <T> T read(HostInfo peer, HttpResponse<byte[]> response, JavaType type) throws IOException {
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new ApiException(503, "peer_unavailable", "instance " + peer + " answered " + response.statusCode()
                    + ": " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8), null);
        }
        return Json.MAPPER.readValue(response.body(), type);
    }

    private static ApiException unavailable(HostInfo peer, Exception e) {
        return new ApiException(503, "peer_unavailable", "instance " + peer + " did not answer: " + e.getMessage(), null);
    }
}
