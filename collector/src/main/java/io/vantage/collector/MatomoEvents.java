package io.vantage.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vantage.model.Json;
import io.vantage.model.SiteRegistry;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Matomo's tracking API ({@code GET/POST /matomo.php}, also {@code /piwik.php}; parameters in the
 * query or a form body, or the bulk form {@code {"requests": ["?idsite=1&...", ...]}}) mapped onto
 * our events, field by field as docs/compatibility.md lists. A request without {@code rec=1} is
 * not a tracking request (as for Matomo) and is answered without counting anything.
 */
final class MatomoEvents {
    static final Map<String, String> FIELDS = Map.ofEntries(Map.entry("url", "url"), Map.entry("referrer", "urlref"),
            Map.entry("name", "e_a"), Map.entry("type", "rec"), Map.entry("site", "idsite"), Map.entry("visitor_id", "_id"),
            Map.entry("ts", "cdt"), Map.entry("title", "action_name"), Map.entry("screen", "res"), Map.entry("target", "link"),
            Map.entry("download_url", "download"));

    private MatomoEvents() {
    }

    /** The parameters of a query string or form body ({@code a=1&b=2}, a leading {@code ?} allowed). */
    static Map<String, String> params(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null) {
            return out;
        }
        for (String pair : query.replaceFirst("^\\?", "").split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                out.putIfAbsent(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                out.putIfAbsent(pair, ""); // a malformed escape: kept undecoded, for the validator to judge
            }
        }
        return out;
    }

    /** Our events for the bulk form's requests; null when the body is not JSON; refused naming {@code requests} when that is not a list. */
    static ArrayNode fromBulk(JsonNode body, SiteRegistry sites) {
        if (body == null) {
            return null;
        }
        if (!body.path("requests").isArray()) {
            throw new PeerEvents.NotPeerShape("requests", "must be a list of tracking requests like [\"?idsite=1&rec=1&url=...\"]");
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (JsonNode r : body.get("requests")) {
            if (!r.isTextual()) {
                out.add(r); // refused by the validator
                continue;
            }
            JsonNode e = event(params(r.asText()), sites);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** Our event for one request's parameters; null when it is not a tracking request ({@code rec=1} missing). */
    static JsonNode event(Map<String, String> p, SiteRegistry sites) {
        if (!"1".equals(p.get("rec"))) {
            return null;
        }
        ObjectNode e = Json.MAPPER.createObjectNode();
        String url = blank(p.get("url"));
        String site = PeerSites.first(sites, blank(p.get("idsite")), PeerEvents.host(url));
        if (site != null) {
            e.put("site", site);
        }
        if (url != null) {
            e.put("url", url);
        }
        put(e, "referrer", p.get("urlref"));
        put(e, "title", p.get("action_name"));
        put(e, "screen", p.get("res"));
        put(e, "language", p.get("lang"));
        // The visitor: the tracker's visitor id, else the forced one, else the user id.
        String visitor = blank(p.get("_id")) != null ? p.get("_id") : blank(p.get("cid")) != null ? p.get("cid") : blank(p.get("uid"));
        if (visitor != null) {
            e.put("visitor_id", visitor);
        }
        String cdt = blank(p.get("cdt"));
        if (cdt != null) {
            Long ts = time(cdt);
            if (ts != null) {
                e.put("ts", ts);
            } else {
                e.put("ts", cdt); // refused by the validator, naming cdt
            }
        }
        if ("1".equals(p.get("ping"))) {
            e.put("type", "engagement");
        } else if (blank(p.get("e_c")) != null || blank(p.get("e_a")) != null) {
            e.put("type", "custom");
            put(e, "name", p.get("e_a"));
            ObjectNode props = Json.MAPPER.createObjectNode();
            put(props, "category", p.get("e_c"));
            put(props, "label", p.get("e_n"));
            put(props, "value", p.get("e_v"));
            e.set("props", props);
        } else if (blank(p.get("link")) != null) {
            e.put("type", "outbound");
            e.put("target", p.get("link"));
        } else if (blank(p.get("download")) != null) {
            e.put("type", "download");
            e.put("download_url", p.get("download"));
        } else if (blank(p.get("idgoal")) != null && !"0".equals(p.get("idgoal"))) {
            // A goal conversion: a site goal "goal_N" makes it one of Vantage's goals too.
            e.put("type", "custom");
            e.put("name", "goal_" + p.get("idgoal"));
            if (blank(p.get("revenue")) != null) {
                ObjectNode props = Json.MAPPER.createObjectNode();
                props.put("revenue_amount", p.get("revenue"));
                e.set("props", props);
            }
        } else if (blank(p.get("search")) != null) {
            e.put("type", "custom");
            e.put("name", "site_search");
            ObjectNode props = Json.MAPPER.createObjectNode();
            props.put("keyword", p.get("search"));
            put(props, "category", p.get("search_cat"));
            e.set("props", props);
        } else {
            e.put("type", "pageview");
        }
        return e;
    }

    /** {@code cdt}: a Unix time in seconds, or {@code YYYY-MM-DD HH:MM:SS} in UTC. */
    private static Long time(String cdt) {
        if (cdt.matches("\\d{1,12}(\\.\\d+)?")) {
            return Math.round(Double.parseDouble(cdt) * 1000);
        }
        try {
            return LocalDateTime.parse(cdt.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (java.time.DateTimeException | ArithmeticException e) {
            return null; // refused by the validator, naming cdt
        }
    }

    private static void put(ObjectNode to, String field, String value) {
        if (blank(value) != null) {
            to.put(field, value);
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

}
