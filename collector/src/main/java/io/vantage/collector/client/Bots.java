package io.vantage.processor.enrich;

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
 * Drops events of crawlers, monitors and headless clients by User-Agent, with the maintained
 * pattern list of the {@code isbot} project (bundled as {@code isbot-patterns.txt.gz}).
 * Events without a User-Agent (server-side imports of logs without one) are kept.
 */
public final class BotFilter implements EnrichmentStep {
    static final String PATTERNS_RESOURCE = "/vantage/isbot-patterns.txt.gz";
    private static final int CACHE_LIMIT = 20_000;
    private final Pattern pattern;
    // One alternation of 200+ patterns tried at every position of the User-Agent costs tens of
    // microseconds, and real traffic repeats a few thousand User-Agents: verdicts are cached.
    private final Map<String, Boolean> verdicts = new ConcurrentHashMap<>();

    public BotFilter(List<String> patterns) {
        this.pattern = Pattern.compile(String.join("|", patterns), Pattern.CASE_INSENSITIVE);
    }

    public static BotFilter fromBundledPatterns() {
        try (InputStream in = BotFilter.class.getResourceAsStream(PATTERNS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + PATTERNS_RESOURCE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
            return new BotFilter(reader.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toList()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "bot_filter";
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

    @Override
    public Outcome apply(EnrichedEvent event) {
        return isBot(event.event().userAgent()) ? new Drop("bot") : new Keep(event);
    }
}
