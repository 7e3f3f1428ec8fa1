package io.vantage.collector.client;

import io.vantage.model.ClientFacts;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import ua_parser.Client;
import ua_parser.Parser;

/**
 * Browser, OS and device class from the User-Agent, with the maintained uap-core rules (uap-java).
 * Bots are {@link Bots}' call alone, so one maintained list decides what is not counted.
 * Parsing runs dozens of regexes, so results are cached per distinct User-Agent (bounded; real
 * traffic has few distinct ones). Thread-safe: one instance serves every request thread.
 */
public final class UserAgents {
    private static final int CACHE_LIMIT = 20_000;
    private final Parser parser = new Parser();
    private final Map<String, String[]> cache = new ConcurrentHashMap<>();

    /** Browser, OS and device of {@code ua}, each {@link ClientFacts#UNKNOWN} when not recognised. */
    public String[] classify(String ua) {
        if (ua == null || ua.isBlank()) {
            return new String[] {ClientFacts.UNKNOWN, ClientFacts.UNKNOWN, ClientFacts.UNKNOWN};
        }
        String[] known = cache.get(ua);
        if (known == null) {
            Client client = parser.parse(ua);
            known = new String[] {family(client.userAgent.family), family(client.os.family), deviceClass(ua, client)};
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(ua, known);
        }
        return known;
    }

    private static String family(String family) {
        return family == null || "Other".equals(family) ? ClientFacts.UNKNOWN : family;
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
