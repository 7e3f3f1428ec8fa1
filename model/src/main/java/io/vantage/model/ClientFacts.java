package io.vantage.model;

/**
 * What the collector derived from a client's IP address and User-Agent where they arrived, in
 * memory, before dropping them: the only client facts an event carries to Kafka. No IP address
 * and no User-Agent string is ever written to a topic or a store.
 *
 * @param browser browser family (uap-core), {@link #UNKNOWN} when not recognised
 * @param os      operating system family, {@link #UNKNOWN} when not recognised
 * @param device  {@code desktop}, {@code mobile} or {@code tablet}; {@link #UNKNOWN} without a User-Agent
 * @param country ISO 3166-1 alpha-2 code of the IP's country, {@link #UNKNOWN} when not known
 * @param bot     the isbot list's verdict on the User-Agent: the processor counts such events as
 *                dropped ({@code bot}) instead of counting them
 */
public record ClientFacts(String browser, String os, String device, String country, boolean bot) {
    public static final String UNKNOWN = "Unknown";
    /** An event whose client nothing is known of (no User-Agent, no IP). */
    public static final ClientFacts NONE = new ClientFacts(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, false);

    public ClientFacts {
        browser = orUnknown(browser);
        os = orUnknown(os);
        device = orUnknown(device);
        country = orUnknown(country);
    }

    private static String orUnknown(String v) {
        return v == null || v.isBlank() ? UNKNOWN : v;
    }
}
