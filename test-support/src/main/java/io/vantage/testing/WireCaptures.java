package io.vantage.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The requests recorded from unmodified third-party trackers ({@code ../shared/data/tracker-wire-captures.json.gz}):
 * per tracker, a list of {@code {transport, method, url, headers, body}}.
 */
public final class WireCaptures {
    private final JsonNode captures;

    private WireCaptures(JsonNode captures) {
        this.captures = captures;
    }

    /** The captures beside the checkout ({@code ../shared/data}), from a module's directory. */
    public static WireCaptures load() {
        Path file = Path.of(System.getProperty("user.dir")).resolve("../../shared/data/tracker-wire-captures.json.gz").normalize();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new WireCaptures(new ObjectMapper().readTree(in).get("captures"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The requests of the tracker whose name starts with {@code prefix} (e.g. "posthog-js"), in the order sent. */
    public List<JsonNode> of(String prefix) {
        List<JsonNode> out = new ArrayList<>();
        captures.fields().forEachRemaining(f -> {
            if (f.getKey().startsWith(prefix)) {
                f.getValue().forEach(out::add);
            }
        });
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no captures of " + prefix);
        }
        return out;
    }
}
