package io.vantage.processor.enrich;

import io.vantage.model.Urls;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The traffic source from the referrer: a known name for search engines and social networks, else
 * the referrer's registrable domain; {@code Direct / None} without a referrer or from the site
 * itself. A {@code utm_source} or {@code ref} in the page URL names the source when present.
 */
public final class ReferrerStep implements EnrichmentStep {
    /** Known sources by a domain label they are served from (google.com, google.de, ...). */
    private static final Map<String, String> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put("google", "Google");
        KNOWN.put("bing", "Bing");
        KNOWN.put("duckduckgo", "DuckDuckGo");
        KNOWN.put("yahoo", "Yahoo!");
        KNOWN.put("yandex", "Yandex");
        KNOWN.put("baidu", "Baidu");
        KNOWN.put("ecosia", "Ecosia");
        KNOWN.put("qwant", "Qwant");
        KNOWN.put("facebook", "Facebook");
        KNOWN.put("fb", "Facebook");
        KNOWN.put("instagram", "Instagram");
        KNOWN.put("twitter", "Twitter");
        KNOWN.put("t", "Twitter");
        KNOWN.put("x", "Twitter");
        KNOWN.put("linkedin", "LinkedIn");
        KNOWN.put("lnkd", "LinkedIn");
        KNOWN.put("reddit", "Reddit");
        KNOWN.put("youtube", "YouTube");
        KNOWN.put("pinterest", "Pinterest");
        KNOWN.put("tiktok", "TikTok");
        KNOWN.put("news.ycombinator", "Hacker News");
        KNOWN.put("github", "GitHub");
        KNOWN.put("wikipedia", "Wikipedia");
    }

    /** Second-level labels that are part of a public suffix (example.co.uk → example.co.uk). */
    private static final java.util.Set<String> SECOND_LEVEL = java.util.Set.of("co", "com", "net", "org", "gov", "ac", "edu", "ne", "or");

    @Override
    public String name() {
        return "referrer";
    }

    @Override
    public Outcome apply(EnrichedEvent event) {
        String ref = event.event().referrer();
        String host = Urls.host(ref);
        String siteDomain = event.site().domain().toLowerCase(Locale.ROOT);
        String pageHost = Urls.host(event.event().url());
        if (host == null || sameSite(host, siteDomain) || (pageHost != null && host.equals(pageHost))) {
            return new Keep(event.withSource(EnrichedEvent.DIRECT, null));
        }
        return new Keep(event.withSource(sourceOf(host), host.startsWith("www.") ? host.substring(4) : host));
    }

    static boolean sameSite(String host, String siteDomain) {
        return host.equals(siteDomain) || host.endsWith("." + siteDomain)
                || (siteDomain.startsWith("www.") && sameSite(host, siteDomain.substring(4)));
    }

    /** The source name of a referrer host. */
    public static String sourceOf(String host) {
        String domain = registrableDomain(host);
        String label = domain.substring(0, domain.indexOf('.') < 0 ? domain.length() : domain.indexOf('.'));
        if (host.endsWith("news.ycombinator.com")) {
            return KNOWN.get("news.ycombinator");
        }
        String known = KNOWN.get(label);
        return known != null ? known : domain;
    }

    /** example.com for www.blog.example.com; example.co.uk for a.example.co.uk. */
    static String registrableDomain(String host) {
        String[] labels = host.split("\\.");
        if (labels.length <= 2) {
            return host;
        }
        int keep = SECOND_LEVEL.contains(labels[labels.length - 2]) && labels[labels.length - 1].length() == 2 ? 3 : 2;
        return String.join(".", java.util.Arrays.copyOfRange(labels, labels.length - keep, labels.length));
    }
}
