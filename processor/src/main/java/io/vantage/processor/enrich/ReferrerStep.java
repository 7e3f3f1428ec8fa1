package io.vantage.processor.enrich;

import io.vantage.model.Urls;
import io.vantage.store.ReferrerDatabase;
import java.util.Locale;

/**
 * The traffic source from the referrer: the source's name when the referrer database knows the
 * host (search engines, social networks, mail and ad services: {@link ReferrerDatabase}), else the
 * referrer's registrable domain; {@code Direct / None} without a referrer or from the site itself.
 * A {@code utm_source} or {@code ref} in the page URL names the source when present.
 */
public final class ReferrerStep implements EnrichmentStep {
    private final ReferrerDatabase database = ReferrerDatabase.standard();

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
    public String sourceOf(String host) {
        ReferrerDatabase.Known known = database.lookup(host);
        return known != null ? known.source() : ReferrerDatabase.registrableDomain(host);
    }
}
