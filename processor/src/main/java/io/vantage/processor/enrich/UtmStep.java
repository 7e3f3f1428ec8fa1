package io.vantage.processor.enrich;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** {@code utm_source}, {@code utm_medium} and {@code utm_campaign} from the page URL's query string. */
public final class UtmStep implements EnrichmentStep {
    @Override
    public String name() {
        return "utm";
    }

    @Override
    public Outcome apply(EnrichedEvent event) {
        String url = event.event().url();
        int q = url == null ? -1 : url.indexOf('?');
        if (q < 0) {
            return new Keep(event);
        }
        int hash = url.indexOf('#', q);
        String query = hash < 0 ? url.substring(q + 1) : url.substring(q + 1, hash);
        String source = null;
        String medium = null;
        String campaign = null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String value = decode(pair.substring(eq + 1));
            switch (pair.substring(0, eq)) {
                case "utm_source" -> source = value;
                case "utm_medium" -> medium = value;
                case "utm_campaign" -> campaign = value;
                default -> { }
            }
        }
        return new Keep(event.withUtm(source, medium, campaign));
    }

    private static String decode(String s) {
        try {
            String v = URLDecoder.decode(s, StandardCharsets.UTF_8);
            return v.isEmpty() ? null : v;
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
