package io.vantage.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vantage.model.Json;
import io.vantage.model.SiteRegistry;
import io.vantage.model.Urls;
import java.util.Map;

/**
 * Plausible's Events API ({@code POST /api/event}, what its script and SDKs send) mapped onto
 * our events, field by field as docs/compatibility.md lists. The result is a {@code /collect}
 * body, so validation, limits, privacy rules, dedup and bad events are exactly those of our own
 * tracker's beacons.
 */
final class PlausibleEvents {
    /** Our field names back to Plausible's, for error messages that name what the caller sent. */
    static final Map<String, String> FIELDS = Map.of("url", "u", "referrer", "r", "name", "n", "type", "n", "site", "d",
            "props", "p", "engaged_ms", "e", "scroll_pct", "sd");

    private PlausibleEvents() {
    }

    /**
     * Our events for a Plausible payload: one per site its {@code d} (a comma-separated list, or
     * the host of {@code u}) names. What is missing or wrong is left for the validator, which
     * refuses it with a 400 and keeps it as a bad event, as for {@code /collect}; null when the
     * body is not an object at all (then the raw body goes to the validator).
     */
    static ArrayNode toCollectBody(JsonNode p, SiteRegistry sites) {
        if (p == null) {
            return null;
        }
        if (!p.isObject()) {
            throw new PeerEvents.NotPeerShape("body", "must be a JSON object like {\"name\": \"pageview\", \"url\": \"https://example.com/\", \"domain\": \"example.com\"}");
        }
        String url = text(p, "u", "url");
        String domains = text(p, "d", "domain");
        if ((domains == null || domains.isBlank()) && url != null) {
            domains = Urls.host(url);
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (String d : (domains == null ? "" : domains).split(",")) {
            if (!d.isBlank()) {
                out.add(event(p, url, PeerSites.resolve(sites, d.trim())));
            }
        }
        if (out.isEmpty()) {
            out.add(event(p, url, null)); // refused for its missing site
        }
        return out;
    }

    private static ObjectNode event(JsonNode p, String url, String site) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        String name = text(p, "n", "name");
        if (site != null) {
            e.put("site", site);
        }
        if (url != null) {
            e.put("url", url);
        }
        String referrer = text(p, "r", "referrer");
        if (referrer != null && !referrer.isBlank()) {
            e.put("referrer", referrer);
        }
        switch (name == null ? "" : name) {
            case "" -> { } // refused: no type
            case "pageview" -> e.put("type", "pageview");
            case "engagement" -> {
                // The script's engagement ping: time engaged (ms) and the page's max scroll depth (%).
                e.put("type", "engagement");
                copyNumber(p, "e", e, "engaged_ms");
                copyNumber(p, "sd", e, "scroll_pct");
            }
            default -> {
                e.put("type", "custom");
                e.put("name", name);
            }
        }
        ObjectNode props = props(p);
        if (!props.isEmpty()) {
            e.set("props", props);
        }
        return e;
    }

    /** String-valued props ({@code p}, also {@code props}, {@code m}, {@code meta}), and revenue ({@code $}). */
    private static ObjectNode props(JsonNode p) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        JsonNode props = parsed(first(p, "p", "props", "m", "meta"));
        // As Plausible does: scalars kept as text, lists and maps left out.
        out.setAll(PeerEvents.scalars(props));
        JsonNode revenue = parsed(first(p, "$", "revenue"));
        if (revenue != null && revenue.isObject()) {
            if (revenue.hasNonNull("amount")) {
                out.put("revenue_amount", revenue.get("amount").asText());
            }
            if (revenue.hasNonNull("currency")) {
                out.put("revenue_currency", revenue.get("currency").asText());
            }
        }
        return out;
    }

    /** The script sends {@code p} and {@code $} as JSON strings; SDKs as objects. Anything else is left out. */
    private static JsonNode parsed(JsonNode v) {
        if (v == null || !v.isTextual()) {
            return v;
        }
        try {
            return Json.MAPPER.readTree(v.asText());
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static void copyNumber(JsonNode p, String from, ObjectNode e, String to) {
        JsonNode v = p.get(from);
        if (v != null && !v.isNull()) {
            e.set(to, v);
        }
    }

    private static JsonNode first(JsonNode p, String... names) {
        for (String n : names) {
            if (p.hasNonNull(n)) {
                return p.get(n);
            }
        }
        return null;
    }

    /** A text field; a value of another type is passed on as text, for the validator to judge. */
    private static String text(JsonNode p, String... names) {
        JsonNode v = first(p, names);
        return v == null || !v.isValueNode() ? null : v.asText();
    }
}
