package io.vantage.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vantage.model.Json;
import io.vantage.model.SiteRegistry;
import java.util.Map;
import java.util.Set;

/**
 * The Google Analytics 4 Measurement Protocol ({@code POST /mp/collect?measurement_id=G-…}) mapped
 * onto our events, field by field as docs/compatibility.md lists. The {@code api_secret} is not
 * checked: a site's allowed domains and the rate limits guard this route as they guard
 * {@code /collect}. GA4's own {@code session_start} and {@code first_visit} are not counted:
 * visits and new visitors are Vantage's own, by the site's session timeout.
 */
final class Ga4Events {
    static final Map<String, String> FIELDS = Map.ofEntries(Map.entry("url", "events[].params.page_location"),
            Map.entry("referrer", "events[].params.page_referrer"), Map.entry("name", "events[].name"),
            Map.entry("type", "events[].name"), Map.entry("site", "measurement_id"), Map.entry("visitor_id", "client_id"),
            Map.entry("ts", "timestamp_micros"), Map.entry("title", "events[].params.page_title"), Map.entry("props", "events[].params"),
            Map.entry("traits", "user_properties"), Map.entry("engaged_ms", "events[].params.engagement_time_msec"));
    private static final Set<String> IGNORED = Set.of("session_start", "first_visit", "first_open");
    /** Parameters GA4 uses for its own bookkeeping: not an event's properties. */
    private static final Set<String> NOT_PROPS = Set.of("session_id", "engagement_time_msec", "page_location", "page_referrer",
            "page_title", "debug_mode", "ga_session_id", "ga_session_number", "timestamp_micros");

    private Ga4Events() {
    }

    /** Our events for a Measurement Protocol body; null when it is not JSON (refused as the raw body). */
    static ArrayNode toCollectBody(JsonNode body, SiteRegistry sites, String measurementId) {
        if (body == null) {
            return null;
        }
        if (!body.isObject()) {
            throw new PeerEvents.NotPeerShape("body", "must be a JSON object like {\"client_id\": \"123.456\", \"events\": [{\"name\": \"page_view\"}]}");
        }
        if (!body.path("events").isArray()) {
            throw new PeerEvents.NotPeerShape("events", "must be a list of events like [{\"name\": \"page_view\", \"params\": {}}]");
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        String clientId = PeerEvents.text(body, "client_id") != null ? PeerEvents.text(body, "client_id") : PeerEvents.text(body, "app_instance_id");
        JsonNode userProperties = body.path("user_properties");
        String firstUrl = null;
        for (JsonNode ev : body.get("events")) {
            String url = PeerEvents.text(ev.path("params"), "page_location");
            firstUrl = firstUrl == null ? url : firstUrl;
        }
        String site = PeerSites.first(sites, measurementId, PeerEvents.host(firstUrl));
        for (JsonNode ev : body.get("events")) {
            if (!ev.isObject()) {
                out.add(ev);
                continue;
            }
            String name = PeerEvents.text(ev, "name");
            if (name != null && IGNORED.contains(name)) {
                continue;
            }
            ObjectNode e = base(site, clientId, body, ev);
            JsonNode params = ev.path("params");
            PeerEvents.putText(params, "page_location", e, "url");
            if (!e.has("url") && firstUrl != null) {
                e.put("url", firstUrl);
            }
            PeerEvents.putText(params, "page_referrer", e, "referrer");
            PeerEvents.putText(params, "page_title", e, "title");
            switch (name == null ? "" : name) {
                case "page_view" -> e.put("type", "pageview");
                case "user_engagement" -> {
                    e.put("type", "engagement");
                    if (params.path("engagement_time_msec").canConvertToLong()) {
                        e.put("engaged_ms", params.get("engagement_time_msec").asLong());
                    }
                }
                case "file_download" -> {
                    e.put("type", "download");
                    PeerEvents.putText(params, "link_url", e, "download_url");
                }
                case "" -> {
                    // no name: refused by the validator, naming events[].name
                }
                default -> {
                    e.put("type", "custom");
                    e.put("name", name);
                    ObjectNode props = Json.MAPPER.createObjectNode();
                    PeerEvents.scalars(params).fields().forEachRemaining(f -> {
                        if (!NOT_PROPS.contains(f.getKey())) {
                            props.set(f.getKey(), f.getValue());
                        }
                    });
                    if (!props.isEmpty()) {
                        e.set("props", props);
                    }
                }
            }
            out.add(e);
        }
        // User properties ({"gender": {"value": "female"}}) are the visitor's traits.
        if (userProperties.isObject() && !userProperties.isEmpty()) {
            ObjectNode traits = Json.MAPPER.createObjectNode();
            userProperties.fields().forEachRemaining(f -> {
                JsonNode v = f.getValue().path("value");
                if (v.isValueNode() && !v.isNull()) {
                    traits.put(f.getKey(), v.asText());
                }
            });
            if (!traits.isEmpty()) {
                ObjectNode identify = base(site, clientId, body, Json.MAPPER.createObjectNode());
                identify.put("type", "identify");
                identify.set("traits", traits);
                if (firstUrl != null) {
                    identify.put("url", firstUrl);
                }
                out.add(identify);
            }
        }
        return out;
    }

    private static ObjectNode base(String site, String clientId, JsonNode body, JsonNode ev) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        if (site != null) {
            e.put("site", site);
        }
        if (clientId != null) {
            e.put("visitor_id", clientId);
        }
        JsonNode micros = ev.has("timestamp_micros") ? ev.get("timestamp_micros") : body.get("timestamp_micros");
        if (micros == null || micros.isNull()) {
            return e;
        }
        if (micros.isIntegralNumber() && micros.canConvertToLong() && micros.asLong() > 0) {
            e.put("ts", micros.asLong() / 1000);
        } else if (micros.isTextual() && micros.asText().matches("\\d{1,18}")) {
            e.put("ts", Long.parseLong(micros.asText()) / 1000);
        } else {
            e.set("ts", micros); // refused by the validator, naming timestamp_micros
        }
        return e;
    }

}
