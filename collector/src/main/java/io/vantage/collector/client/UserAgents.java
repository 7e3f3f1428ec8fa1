package io.vantage.processor.enrich;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import ua_parser.Client;
import ua_parser.Parser;

/**
 * Browser, OS and device class from the User-Agent, with the maintained uap-core rules (uap-java).
 * Bots are the {@link BotFilter}'s call alone, so one maintained list decides what is not counted.
 * Parsing runs dozens of regexes, so results are cached per distinct User-Agent (bounded; real
 * traffic has few distinct ones). Thread-safe: one instance serves every stream thread.
 */
public final class UserAgentStep implements EnrichmentStep {
    private static final int CACHE_LIMIT = 20_000;
    private final Parser parser = new Parser();
    private final Map<String, Client> cache = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "user_agent";
    }

    @Override
    public Outcome apply(EnrichedEvent event) {
        String ua = event.event().userAgent();
        if (ua == null || ua.isBlank()) {
            return new Keep(event);
        }
        Client client = cache.get(ua);
        if (client == null) {
            client = parser.parse(ua);
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(ua, client);
        }
        return new Keep(event.withClient(family(client.userAgent.family), family(client.os.family), deviceClass(ua, client)));
    }

    private static String family(String family) {
        return family == null || "Other".equals(family) ? EnrichedEvent.UNKNOWN : family;
    }

    /** desktop, mobile or tablet, as metrics.md names them. */
    static String deviceClass(String ua, Client client) {
        String device = client.device.family == null ? "" : client.device.family;
        if (ua.contains("iPad") || ua.contains("Tablet") || device.contains("Tablet") || device.contains("Kindle")
                || (ua.contains("Android") && !ua.contains("Mobile"))) {
            return "tablet";
        }
        if (ua.contains("Mobi") || ua.contains("iPhone") || ua.contains("iPod") || ua.contains("Android")
                || ua.contains("Windows Phone")) {
            return "mobile";
        }
        return "desktop";
    }
}
