package io.vantage.collector.client;

import io.vantage.model.ClientFacts;

/**
 * Derives an event's {@link ClientFacts} (browser, OS, device, country, bot verdict) from the
 * client's IP address and User-Agent where they arrive, in memory, so that neither is ever
 * written anywhere. Thread-safe: one instance serves every request thread.
 */
public final class ClientClassifier {
    private final Bots bots;
    private final UserAgents userAgents;
    private final Countries countries;

    public ClientClassifier(Bots bots, UserAgents userAgents, Countries countries) {
        this.bots = bots;
        this.userAgents = userAgents;
        this.countries = countries;
    }

    /**
     * With the bundled isbot list, uap-core rules and IP-to-country database: built once per JVM
     * (loading them takes about a second) and shared, as it holds no state besides bounded caches.
     */
    public static ClientClassifier standard() {
        return Standard.INSTANCE;
    }

    private static final class Standard {
        static final ClientClassifier INSTANCE =
                new ClientClassifier(Bots.fromBundledPatterns(), new UserAgents(), Countries.fromBundledDatabase());
    }

    public ClientFacts classify(String ip, String userAgent) {
        String[] client = userAgents.classify(userAgent);
        return new ClientFacts(client[0], client[1], client[2], countries.country(ip), bots.isBot(userAgent));
    }
}
