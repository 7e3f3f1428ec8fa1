package io.vantage.collector;

import io.vantage.model.Site;
import io.vantage.model.SiteRegistry;
import java.util.Locale;
import java.util.Optional;

/** How the compatibility routes find the site a peer's identifier (a domain, a website id) names. */
final class PeerSites {
    private PeerSites() {
    }

    /**
     * The site of that id, else the site listing it among its aliases (case ignored), else the
     * site of that domain ({@code www.} and case ignored); the identifier itself when no site
     * answers to it, so the event is refused as {@code unknown_site} and kept as a bad event.
     */
    static String resolve(SiteRegistry sites, String identifier) {
        if (identifier == null) {
            return null;
        }
        String d = bare(identifier);
        Optional<Site> byId = Site.ID.matcher(d).matches() ? sites.find(d) : Optional.empty();
        return byId.or(() -> sites.findByAlias(identifier))
                .or(() -> sites.all().stream().filter(s -> s.domain() != null && bare(s.domain()).equals(d)).findFirst())
                .map(Site::id).orElse(identifier);
    }

    /** The first of the identifiers a site answers to, resolved; else the first one given (refused later as unknown). */
    static String first(SiteRegistry sites, String... identifiers) {
        String fallback = null;
        for (String identifier : identifiers) {
            if (identifier == null || identifier.isBlank()) {
                continue;
            }
            if (known(sites, identifier)) {
                return resolve(sites, identifier);
            }
            fallback = fallback == null ? identifier : fallback;
        }
        return fallback;
    }

    /** Whether a site answers to the identifier. */
    static boolean known(SiteRegistry sites, String identifier) {
        return identifier != null && !identifier.isBlank() && sites.find(resolve(sites, identifier)).isPresent();
    }

    /** An identifier as the peers' routes compare it: trimmed, lower case, without a leading {@code www.}. */
    static String bare(String domain) {
        String d = domain.trim().toLowerCase(Locale.ROOT);
        return d.startsWith("www.") ? d.substring(4) : d;
    }
}
