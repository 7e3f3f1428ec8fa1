package io.vantage.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vantage.model.Json;
import io.vantage.model.SiteRegistry;
import java.util.Map;

/**
 * Umami's collect API ({@code POST /api/send}, one {@code {"type", "payload"}} object, and
 * {@code POST /api/batch}, an array of them) mapped onto our events, field by field as
 * docs/compatibility.md lists. The result is a {@code /collect} body: the same validation,
 * limits, privacy rules, dedup and bad events as our own tracker's beacons.
 */
final class UmamiEvents {
    /** Our field names back to Umami's, for error messages that name what the caller sent. */
    static final Map<String, String> FIELDS = Map.of("url", "payload.url", "referrer", "payload.referrer", "name", "payload.name",
            "type", "type", "site", "payload.website", "props", "payload.data", "traits", "payload.data", "title", "payload.title",
            "visitor_id", "payload.id", "screen", "payload.screen");

    private UmamiEvents() {
    }

    /** Our events for a {@code /api/send} body (an object) or a {@code /api/batch} body (an array); null when it is not JSON (refused as the raw body); a JSON body of neither shape is refused naming the field. */
    static ArrayNode toCollectBody(JsonNode body, SiteRegistry sites) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        if (body != null && body.isObject()) {
            if (!body.path("payload").isObject()) {
                throw new PeerEvents.NotPeerShape("payload", "must be an object like {\"website\": \"<website id>\", \"url\": \"/\"}");
            }
            out.add(event(body, sites));
        } else if (body != null && body.isArray()) {
            body.forEach(e -> out.add(e.isObject() ? event(e, sites) : e));
        } else if (body != null) {
            throw new PeerEvents.NotPeerShape("body", "must be an object like {\"type\": \"event\", \"payload\": {...}}, or a list of them");
        } else {
            return null;
        }
        return out;
    }

    private static JsonNode event(JsonNode u, SiteRegistry sites) {
        JsonNode p = u.path("payload");
        ObjectNode e = Json.MAPPER.createObjectNode();
        // The website id, else the page's host name: by default a site answers to its id and its domain.
        String website = text(p, "website");
        String hostname = text(p, "hostname");
        String site = website != null && PeerSites.known(sites, website) ? PeerSites.resolve(sites, website)
                : hostname != null && PeerSites.known(sites, hostname) ? PeerSites.resolve(sites, hostname) : website;
        if (site != null) {
            e.put("site", site);
        }
        String url = text(p, "url");
        if (url != null) {
            // Umami sends the path and query; the host comes apart.
            e.put("url", url.startsWith("/") && hostname != null ? "https://" + hostname + url : url);
        }
        putText(p, "referrer", e, "referrer");
        putText(p, "title", e, "title");
        putText(p, "screen", e, "screen");
        putText(p, "language", e, "language");
        putText(p, "id", e, "visitor_id");
        JsonNode data = p.get("data");
        String type = text(u, "type");
        String name = text(p, "name");
        if ("identify".equals(type)) {
            e.put("type", "identify");
            if (data != null) {
                e.set("traits", strings(data));
            }
        } else if ("event".equals(type)) {
            if (name == null || name.isBlank()) {
                e.put("type", "pageview");
            } else {
                e.put("type", "custom");
                e.put("name", name);
                if (data != null) {
                    e.set("props", strings(data));
                }
            }
        } else if (type != null) {
            e.put("type", type); // refused by the validator as an unknown type, naming it
        }
        return e;
    }

    /** Umami's data values may be numbers, booleans or dates: kept as text; lists and maps left out. */
    /** A map's scalars as text; anything else as it is, for the validator to refuse (props and traits are maps). */
    private static JsonNode strings(JsonNode data) {
        return data.isObject() ? PeerEvents.scalars(data) : data;
    }

    private static void putText(JsonNode p, String from, ObjectNode e, String to) {
        PeerEvents.putText(p, from, e, to);
    }

    private static String text(JsonNode p, String name) {
        return PeerEvents.text(p, name);
    }
}
