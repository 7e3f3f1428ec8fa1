package io.vantage.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vantage.http.ApiException;
import io.vantage.model.Json;
import io.vantage.model.SiteRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * PostHog's capture API ({@code /e/}, {@code /i/v0/e/}, {@code /capture/}, {@code /batch/}) mapped
 * onto our events, field by field as docs/compatibility.md lists: one event, an array, or
 * {@code {"api_key", "batch": [...]}}, as JSON, gzip ({@code ?compression=gzip-js}, or by its
 * magic bytes) or the form {@code data=<base64>}. The result is a {@code /collect} body.
 *
 * <p>Visitors are PostHog's {@code $device_id} (the browser's anonymous id, kept across
 * {@code identify}), else {@code distinct_id}; PostHog's {@code $session_id} is not used: visits
 * are Vantage's own, by the site's session timeout, as for every other source.
 */
final class PostHogEvents {
    static final Map<String, String> FIELDS = Map.of("url", "properties.$current_url", "referrer", "properties.$referrer",
            "name", "event", "type", "event", "site", "api_key", "props", "properties", "traits", "$set",
            "visitor_id", "distinct_id", "ts", "timestamp", "event_id", "uuid");
    /** Properties PostHog adds itself (campaign and click ids, the project token): not the event's own. */
    private static final Set<String> NOT_PROPS = Set.of("token", "distinct_id", "title", "ph_keyword", "gad_source", "mc_cid", "gclid",
            "gclsrc", "dclid", "gbraid", "wbraid", "fbclid", "msclkid", "twclid", "igshid", "ttclid", "rdt_cid", "epik", "qclid",
            "sccid", "oppref", "bfcid", "irclid", "_kx", "li_fat_id");
    /** PostHog's own events that say nothing Vantage counts (flags, recordings, performance, aliases). */
    private static final Set<String> IGNORED = Set.of("$feature_flag_called", "$snapshot", "$web_vitals", "$performance_event",
            "$create_alias", "$groupidentify", "$opt_in", "$exception", "$set", "$feature_view", "$feature_interaction",
            "$dead_click", "$heatmap", "$copy_autocapture");

    private PostHogEvents() {
    }

    /**
     * The JSON of a capture request: gzip when asked ({@code compression=gzip-js}) or when the
     * bytes start as gzip does, base64 in a {@code data} form field, else the bytes themselves.
     * What inflates past {@code max} bytes is a 413, as an oversize body is.
     */
    static byte[] decode(byte[] raw, String compression, int max) {
        byte[] bytes = raw;
        if (startsWith(bytes, "data=")) {
            String form = new String(bytes, StandardCharsets.US_ASCII);
            String data = null;
            for (String pair : form.split("&")) {
                if (pair.startsWith("data=")) {
                    try {
                        data = URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        throw ApiException.invalidField("data", "is not URL-encoded: " + e.getMessage());
                    }
                } else if (pair.startsWith("compression=")) {
                    compression = pair.substring(12);
                }
            }
            try {
                bytes = Base64.getDecoder().decode(data == null ? "" : data.trim());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidField("data", "is not base64");
            }
        }
        boolean gzip = bytes.length > 2 && (bytes[0] & 0xFF) == 0x1F && (bytes[1] & 0xFF) == 0x8B;
        if ("lz64".equals(compression)) {
            throw ApiException.invalidField("compression", "lz64 is not supported; PostHog's SDKs send gzip-js when the server offers it");
        }
        if (!gzip) {
            return bytes;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            byte[] out = in.readNBytes(max + 1);
            if (out.length > max) {
                throw new ApiException(413, "payload_too_large", "the inflated body is larger than " + max + " bytes", "body");
            }
            return out;
        } catch (IOException e) {
            throw ApiException.invalidField("body", "is not valid gzip: " + e.getMessage());
        }
    }

    private static boolean startsWith(byte[] b, String prefix) {
        if (b.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Our events for a capture body; null when it is not JSON (then refused as the raw body); JSON of no PostHog shape is refused naming the field. */
    static ArrayNode toCollectBody(JsonNode body, SiteRegistry sites) {
        if (body == null) {
            return null;
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        String apiKey = text(body, "api_key") != null ? text(body, "api_key") : text(body, "token");
        String sentAt = text(body, "sent_at");
        JsonNode list = body.isArray() ? body : body.has("batch") ? body.get("batch") : null;
        if (list == null) {
            if (!body.isObject()) {
                throw new PeerEvents.NotPeerShape("body", "must be an event object, a list of them, or {\"batch\": [...]}");
            }
            add(out, body, apiKey, sentAt, sites);
        } else if (list.isArray()) {
            list.forEach(e -> add(out, e, apiKey, sentAt, sites));
        } else {
            throw new PeerEvents.NotPeerShape("batch", "must be a list of events");
        }
        return out;
    }

    private static void add(ArrayNode out, JsonNode p, String apiKey, String sentAt, SiteRegistry sites) {
        if (!p.isObject()) {
            out.add(p);
            return;
        }
        String name = text(p, "event");
        if (name != null && IGNORED.contains(name)) {
            return;
        }
        JsonNode props = p.path("properties");
        ObjectNode e = Json.MAPPER.createObjectNode();
        String key = apiKey != null ? apiKey : text(p, "api_key") != null ? text(p, "api_key") : text(props, "token");
        String site = PeerSites.first(sites, key, text(props, "$host"));
        if (site != null) {
            e.put("site", site);
        }
        String url = text(props, "$current_url");
        if (url != null) {
            e.put("url", url);
        }
        String referrer = text(props, "$referrer");
        if (referrer != null && !"$direct".equals(referrer)) {
            e.put("referrer", referrer);
        }
        putText(props, "title", e, "title");
        putText(props, "$browser_language", e, "language");
        String visitor = text(props, "$device_id") != null ? text(props, "$device_id")
                : text(p, "distinct_id") != null ? text(p, "distinct_id") : text(props, "distinct_id");
        if (visitor != null) {
            e.put("visitor_id", visitor);
        }
        putText(p, "uuid", e, "event_id");
        String ts = text(p, "timestamp");
        if (ts != null) {
            e.put("ts", ts);
            if (sentAt != null) {
                e.put("sent_at", sentAt);
            }
        } else if (props.path("$time").isNumber()) {
            e.put("ts", Math.round(props.get("$time").asDouble() * 1000));
        }
        switch (name == null ? "" : name) {
            case "$pageview", "$screen" -> e.put("type", "pageview");
            case "$pageleave" -> e.put("type", "engagement");
            case "$autocapture", "$rageclick" -> {
                e.put("type", "submit".equals(text(props, "$event_type")) ? "form_submit" : "click");
                putText(props, "$el_text", e, "target");
            }
            case "$identify" -> {
                e.put("type", "identify");
                ObjectNode traits = Json.MAPPER.createObjectNode();
                traits.setAll(PeerEvents.scalars(props.path("$set_once")));
                traits.setAll(PeerEvents.scalars(props.path("$set")));
                traits.setAll(PeerEvents.scalars(p.path("$set")));
                e.set("traits", traits);
            }
            case "" -> {
                // no event name: refused by the validator, naming PostHog's field
            }
            default -> {
                e.put("type", "custom");
                e.put("name", name);
                ObjectNode own = Json.MAPPER.createObjectNode();
                props.fields().forEachRemaining(f -> {
                    String k = f.getKey();
                    if (!k.startsWith("$") && !k.startsWith("utm_") && !NOT_PROPS.contains(k)) {
                        own.set(k, f.getValue());
                    }
                });
                ObjectNode scalars = PeerEvents.scalars(own);
                if (!scalars.isEmpty()) {
                    e.set("props", scalars);
                }
            }
        }
        out.add(e);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }

    private static void putText(JsonNode from, String field, ObjectNode to, String as) {
        PeerEvents.putText(from, field, to, as);
    }
}
