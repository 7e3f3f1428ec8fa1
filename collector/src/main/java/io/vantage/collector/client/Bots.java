package io.vantage.collector.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * Tells crawlers, monitors and headless clients by User-Agent, with the maintained pattern list
 * of the {@code isbot} project (bundled as {@code isbot-patterns.txt.gz}). Events without a
 * User-Agent (server-side imports of logs without one) are not bots. Thread-safe.
 */
public final class Bots {
    static final String PATTERNS_RESOURCE = "/vantage/isbot-patterns.txt.gz";
    private static final int CACHE_LIMIT = 20_000;
    private final Pattern pattern;
    // One alternation of 200+ patterns tried at every position of the User-Agent costs tens of
    // microseconds, and real traffic repeats a few thousand User-Agents: verdicts are cached.
    private final Map<String, Boolean> verdicts = new ConcurrentHashMap<>();

    public Bots(List<String> patterns) {
        this.pattern = Pattern.compile(String.join("|", patterns), Pattern.CASE_INSENSITIVE);
    }

    public static Bots fromBundledPatterns() {
        try (InputStream in = Bots.class.getResourceAsStream(PATTERNS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + PATTERNS_RESOURCE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
            return new Bots(reader.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toList()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isBot(String userAgent) {
        if (userAgent == null || userAgent.isEmpty()) {
            return false;
        }
        Boolean known = verdicts.get(userAgent);
        if (known == null) {
            known = pattern.matcher(userAgent).find();
            if (verdicts.size() >= CACHE_LIMIT) {
                verdicts.clear();
            }
            verdicts.put(userAgent, known);
        }
        return known;
    }
}
