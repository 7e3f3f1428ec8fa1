package io.vantage.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vantage.model.Json;
import io.vantage.model.SiteRegistry;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;

/**
 * Snowplow's tracker protocol ({@code POST /com.snowplowanalytics.snowplow/tp2} with a
 * {@code payload_data} array, {@code GET /i} with one event in the query) mapped onto our events,
 * field by field as docs/compatibility.md lists. The result is a {@code /collect} body.
 */
final class SnowplowEvents {
    static final Map<String, String> FIELDS = Map.ofEntries(Map.entry("url", "url"), Map.entry("referrer", "refr"),
            Map.entry("name", "ue_pr"), Map.entry("type", "e"), Map.entry("site", "aid"), Map.entry("props", "ue_pr"),
            Map.entry("visitor_id", "duid"), Map.entry("ts", "dtm"), Map.entry("sent_at", "stm"), Map.entry("event_id", "eid"),
            Map.entry("title", "page"), Map.entry("screen", "res"), Map.entry("language", "lang"), Map.entry("target", "ue_pr"));

    private SnowplowEvents() {
    }

    /** Our events for a {@code payload_data} body ({@code {"schema", "data": [...]}}); null when it is not JSON; JSON of another shape is refused naming the field. */
    static ArrayNode toCollectBody(JsonNode body, SiteRegistry sites) {
        if (body == null) {
            return null;
        }
        if (!body.isObject()) {
            throw new PeerEvents.NotPeerShape("body", "must be a JSON object like {\"schema\": \"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4\", \"data\": [{}]}");
        }
        if (!body.path("data").isArray()) {
            throw new PeerEvents.NotPeerShape("data", "must be a list of events (tracker payloads)");
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        body.get("data").forEach(p -> out.add(p.isObject() ? event(p, sites) : p));
        return out;
    }

    /** Our event for the query parameters of a {@code GET /i}. */
    static ArrayNode fromQuery(Map<String, java.util.List<String>> params, SiteRegistry sites) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        params.forEach((k, v) -> p.put(k, v.isEmpty() ? "" : v.get(0)));
        ArrayNode out = Json.MAPPER.createArrayNode();
        out.add(event(p, sites));
        return out;
    }

    private static JsonNode event(JsonNode p, SiteRegistry sites) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        String url = PeerEvents.text(p, "url");
        String site = PeerSites.first(sites, PeerEvents.text(p, "aid"), PeerEvents.host(url));
        if (site != null) {
            e.put("site", site);
        }
        if (url != null) {
            e.put("url", url);
        }
        PeerEvents.putText(p, "refr", e, "referrer");
        PeerEvents.putText(p, "page", e, "title");
        PeerEvents.putText(p, "eid", e, "event_id");
        PeerEvents.putText(p, "lang", e, "language");
        PeerEvents.putText(p, "res", e, "screen");
        PeerEvents.putText(p, "tz", e, "timezone");
        // The domain user id is the browser's first-party cookie id; without cookies, the network user id.
        String visitor = PeerEvents.text(p, "duid") != null ? PeerEvents.text(p, "duid") : PeerEvents.text(p, "nuid");
        if (visitor != null) {
            e.put("visitor_id", visitor);
        }
        // The device's time, corrected for its clock by the time it was sent (dtm/stm); a true timestamp as it is.
        if (number(p, "ttm") != null) {
            e.put("ts", number(p, "ttm"));
        } else if (number(p, "dtm") != null) {
            e.put("ts", number(p, "dtm"));
            if (number(p, "stm") != null) {
                e.put("sent_at", number(p, "stm"));
            }
        }
        String type = PeerEvents.text(p, "e");
        switch (type == null ? "" : type) {
            case "pv" -> e.put("type", "pageview");
            case "pp" -> e.put("type", "engagement");
            case "se" -> {
                e.put("type", "custom");
                PeerEvents.putText(p, "se_ac", e, "name");
                ObjectNode props = Json.MAPPER.createObjectNode();
                PeerEvents.putText(p, "se_ca", props, "category");
                PeerEvents.putText(p, "se_la", props, "label");
                PeerEvents.putText(p, "se_pr", props, "property");
                PeerEvents.putText(p, "se_va", props, "value");
                e.set("props", props);
            }
            case "ue" -> selfDescribing(p, e);
            default -> e.put("type", type == null ? "" : "snowplow:" + type); // refused, naming "e"
        }
        return e;
    }

    /**
     * A self-describing event ({@code ue_pr} as JSON, {@code ue_px} as base64url JSON): Snowplow's
     * link clicks and form submissions are ours; any other schema is a custom event named by the
     * schema's name ({@code iglu:com.example/signup/jsonschema/1-0-0} is "signup") with its data.
     */
    private static void selfDescribing(JsonNode p, ObjectNode e) {
        JsonNode inner = unstruct(p).path("data");
        String schema = inner.path("schema").asText("");
        JsonNode data = inner.path("data");
        String[] parts = schema.replaceFirst("^iglu:", "").split("/");
        String name = parts.length >= 2 ? parts[1] : null;
        if ("com.snowplowanalytics.snowplow".equals(parts[0]) && "link_click".equals(name)) {
            String target = PeerEvents.text(data, "targetUrl");
            String page = PeerEvents.text(e, "url");
            boolean outbound = target != null && PeerEvents.host(target) != null && !PeerEvents.host(target).equalsIgnoreCase(String.valueOf(PeerEvents.host(page)));
            e.put("type", outbound ? "outbound" : "click");
            if (target != null) {
                e.put("target", target);
            }
        } else if ("com.snowplowanalytics.snowplow".equals(parts[0]) && "submit_form".equals(name)) {
            e.put("type", "form_submit");
            PeerEvents.putText(data, "formId", e, "form_id");
        } else {
            e.put("type", "custom");
            if (name != null && !name.isEmpty()) {
                e.put("name", name);
            }
            ObjectNode props = PeerEvents.scalars(data);
            if (!props.isEmpty()) {
                e.set("props", props);
            }
        }
    }

    private static JsonNode unstruct(JsonNode p) {
        String json = PeerEvents.text(p, "ue_pr");
        try {
            if (json == null && PeerEvents.text(p, "ue_px") != null) {
                json = new String(Base64.getUrlDecoder().decode(PeerEvents.text(p, "ue_px").replace('+', '-').replace('/', '_')
                        .replace("=", "")), java.nio.charset.StandardCharsets.UTF_8);
            }
            return json == null ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(json);
        } catch (IOException | IllegalArgumentException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    private static Long number(JsonNode p, String field) {
        String v = PeerEvents.text(p, field);
        return v != null && v.matches("\\d{1,18}") ? Long.parseLong(v) : null;
    }

}
