package io.vantage.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.vantage.http.ApiException;
import io.vantage.http.Auth;
import io.vantage.http.HttpModule;
import io.vantage.model.Json;
import io.vantage.model.Site;
import io.vantage.model.SiteRegistry;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The query APIs of the peers, for the tools built on them: Plausible's Stats API v1
 * ({@code /api/v1/stats/realtime/visitors}, {@code aggregate}, {@code timeseries}, {@code breakdown})
 * and Umami's website statistics ({@code /api/websites/{id}/stats}, {@code pageviews},
 * {@code metrics}, {@code active}). Each request is translated into a {@code POST /api/v2/query}
 * and answered by the same engine, so the numbers are the v2 numbers; only names and shapes differ.
 */
public final class PeerQueryRoutes implements HttpModule {
    /** Plausible's v1 property names that differ from ours. */
    private static final Map<String, String> V1_PROPERTIES = Map.of("event:goal", "event:goal", "visit:utm_content", "",
            "visit:utm_term", "", "visit:browser_version", "", "visit:os_version", "", "visit:region", "", "visit:city", "",
            "event:hostname", "");
    /** Umami's metric types: our dimension, and the metric Umami counts for it. */
    private static final Map<String, String[]> UMAMI_TYPES = Map.of("url", new String[] {"event:page", "pageviews"},
            "path", new String[] {"event:page", "pageviews"}, "entry", new String[] {"visit:entry_page", "visits"},
            "exit", new String[] {"visit:exit_page", "visits"}, "referrer", new String[] {"visit:referrer", "visitors"},
            "browser", new String[] {"visit:browser", "visitors"}, "os", new String[] {"visit:os", "visitors"},
            "device", new String[] {"visit:device", "visitors"}, "country", new String[] {"visit:country", "visitors"},
            "event", new String[] {"event:name", "events"});

    private final SiteRegistry sites;
    private final Auth auth;
    private final QueryParser parser;
    private final QueryService queries;

    public PeerQueryRoutes(SiteRegistry sites, Auth auth, QueryParser parser, QueryService queries) {
        this.sites = sites;
        this.auth = auth;
        this.parser = parser;
        this.queries = queries;
    }

    @Override
    public void register(JavalinConfig cfg) {
        cfg.routes.get("/api/v1/stats/realtime/visitors", ctx -> {
            Site site = site(ctx, ctx.queryParam("site_id"), "site_id");
            ctx.json(single(run(site, query(site, List.of("realtime_visitors"), Json.MAPPER.valueToTree("realtime")))));
        });
        cfg.routes.get("/api/v1/stats/aggregate", this::aggregate);
        cfg.routes.get("/api/v1/stats/timeseries", this::timeseries);
        cfg.routes.get("/api/v1/stats/breakdown", this::breakdown);
        cfg.routes.get("/api/websites/{id}/stats", this::umamiStats);
        cfg.routes.get("/api/websites/{id}/pageviews", this::umamiPageviews);
        cfg.routes.get("/api/websites/{id}/metrics", this::umamiMetrics);
        cfg.routes.get("/api/websites/{id}/active", ctx -> {
            Site site = site(ctx, ctx.pathParam("id"), "websiteId");
            long n = single(run(site, query(site, List.of("realtime_visitors"), Json.MAPPER.valueToTree("realtime")))).longValue();
            ctx.json(Map.of("x", n, "visitors", n));
        });
    }

    // --- Plausible v1 ---

    private void aggregate(Context ctx) {
        Site site = site(ctx, ctx.queryParam("site_id"), "site_id");
        List<String> metrics = v1Metrics(ctx);
        ObjectNode q = query(site, metrics, v1Range(ctx, site));
        v1Filters(ctx, q);
        QueryResponse now = run(site, q);
        Map<String, Object> results = new LinkedHashMap<>();
        QueryResponse before = null;
        if ("previous_period".equals(ctx.queryParam("compare"))) {
            ObjectNode p = q.deepCopy();
            try {
                p.set("date_range", previous(q.get("date_range"), site));
            } catch (java.time.DateTimeException | ArithmeticException e) {
                throw ApiException.invalidField("compare", "no previous period before this one");
            }
            before = run(site, p);
        }
        for (int i = 0; i < metrics.size(); i++) {
            Map<String, Object> value = new LinkedHashMap<>();
            Number v = now.results().isEmpty() ? 0 : now.results().get(0).metrics().get(i);
            value.put("value", v);
            if (before != null) {
                Number b = before.results().isEmpty() ? 0 : before.results().get(0).metrics().get(i);
                value.put("change", b.doubleValue() == 0 ? null : Math.round((v.doubleValue() - b.doubleValue()) * 100 / b.doubleValue()));
            }
            results.put(metrics.get(i), value);
        }
        ctx.json(Map.of("results", results));
    }

    private void timeseries(Context ctx) {
        Site site = site(ctx, ctx.queryParam("site_id"), "site_id");
        List<String> metrics = v1Metrics(ctx);
        String interval = ctx.queryParamAsClass("interval", String.class).getOrDefault("date");
        String time = switch (interval) {
            case "date", "day" -> "time:day";
            case "month" -> "time:month";
            case "hour" -> "time:hour";
            case "minute" -> "time:minute";
            case "week" -> "time:week";
            default -> throw ApiException.invalidField("interval", "one of date, month, hour, minute, week");
        };
        ObjectNode q = query(site, metrics, v1Range(ctx, site));
        q.set("dimensions", Json.MAPPER.valueToTree(List.of(time)));
        q.set("include", Json.MAPPER.valueToTree(Map.of("time_labels", true)));
        v1Filters(ctx, q);
        QueryResponse r = run(site, q);
        Map<String, List<Number>> byLabel = new LinkedHashMap<>();
        r.results().forEach(row -> byLabel.put(String.valueOf(row.dimensions().get(0)), row.metrics()));
        List<Map<String, Object>> out = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<String> labels = (List<String>) r.meta().get("time_labels");
        for (String label : labels) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("date", label);
            List<Number> values = byLabel.get(label);
            for (int i = 0; i < metrics.size(); i++) {
                point.put(metrics.get(i), values == null ? 0 : values.get(i));
            }
            out.add(point);
        }
        ctx.json(Map.of("results", out));
    }

    private void breakdown(Context ctx) {
        Site site = site(ctx, ctx.queryParam("site_id"), "site_id");
        String property = ctx.queryParam("property");
        if (property == null || property.isBlank()) {
            throw ApiException.invalidField("property", "is required, e.g. event:page or visit:source");
        }
        if ("".equals(V1_PROPERTIES.get(property))) {
            throw ApiException.invalidField("property", "'" + property + "' is not kept by Vantage");
        }
        List<String> metrics = v1Metrics(ctx);
        ObjectNode q = query(site, metrics, v1Range(ctx, site));
        q.set("dimensions", Json.MAPPER.valueToTree(List.of(property)));
        int limit = ctx.queryParamAsClass("limit", Integer.class).getOrDefault(100);
        int page = ctx.queryParamAsClass("page", Integer.class).getOrDefault(1);
        if (limit < 1 || limit > 1000 || page < 1) {
            throw ApiException.invalidField(limit < 1 || limit > 1000 ? "limit" : "page", "limit must be 1-1000 and page at least 1");
        }
        q.set("pagination", Json.MAPPER.valueToTree(Map.of("limit", limit, "offset", (page - 1) * limit)));
        v1Filters(ctx, q);
        QueryResponse r = run(site, q);
        String key = property.substring(property.lastIndexOf(':') + 1);
        List<Map<String, Object>> out = new ArrayList<>();
        for (QueryResponse.Row row : r.results()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put(key, row.dimensions().get(0));
            for (int i = 0; i < metrics.size(); i++) {
                item.put(metrics.get(i), row.metrics().get(i));
            }
            out.add(item);
        }
        ctx.json(Map.of("results", out));
    }

    private static List<String> v1Metrics(Context ctx) {
        String m = ctx.queryParam("metrics");
        return m == null || m.isBlank() ? List.of("visitors") : List.of(m.split(","));
    }

    /** {@code period} (day, 7d, 30d, month, 6mo, 12mo, year, custom) around {@code date} (today by default). */
    private static com.fasterxml.jackson.databind.JsonNode v1Range(Context ctx, Site site) {
        String period = ctx.queryParamAsClass("period", String.class).getOrDefault("30d");
        String date = ctx.queryParam("date");
        if ("custom".equals(period)) {
            String[] pair = date == null ? new String[0] : date.split(",");
            if (pair.length != 2) {
                throw ApiException.invalidField("date", "a custom period needs date=YYYY-MM-DD,YYYY-MM-DD");
            }
            return Json.MAPPER.valueToTree(List.of(day(pair[0], "date"), day(pair[1], "date")));
        }
        if (date == null) {
            return Json.MAPPER.valueToTree(period); // relative to today in the site's time zone
        }
        LocalDate d = LocalDate.parse(day(date, "date"));
        try {
            return v1Range(period, d);
        } catch (java.time.DateTimeException | ArithmeticException e) {
            throw ApiException.invalidField("date", "'" + date + "' is out of range");
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode v1Range(String period, LocalDate d) {
        LocalDate from = switch (period) {
            case "day" -> d;
            case "7d" -> d.minusDays(6);
            case "30d" -> d.minusDays(29);
            case "month" -> d.withDayOfMonth(1);
            case "6mo" -> d.withDayOfMonth(1).minusMonths(5);
            case "12mo" -> d.withDayOfMonth(1).minusMonths(11);
            case "year" -> d.withDayOfYear(1);
            default -> throw ApiException.invalidField("period", "one of day, 7d, 30d, month, 6mo, 12mo, year, custom");
        };
        LocalDate to = switch (period) {
            case "month" -> d.withDayOfMonth(d.lengthOfMonth());
            case "year" -> d.withDayOfYear(d.lengthOfYear());
            default -> d;
        };
        return Json.MAPPER.valueToTree(List.of(from.toString(), to.toString()));
    }

    private static String day(String s, String field) {
        try {
            return LocalDate.parse(s.strip()).toString();
        } catch (DateTimeParseException e) {
            throw ApiException.invalidField(field, "'" + s + "' is not a date YYYY-MM-DD");
        }
    }

    private static void v1Filters(Context ctx, ObjectNode q) {
        String f = ctx.queryParam("filters");
        if (f != null && !f.isBlank()) {
            q.set("filters", v1Filters(f));
        }
    }

    /**
     * Plausible's v1 filters as v2 filters: {@code event:page==/a|/b;visit:source!=Google}: ==, !=,
     * ~ (contains), !~; | separates values; ; ANDs them. The operator is the first one in the part.
     * A value with {@code *} is a wildcard (as in Plausible: {@code *} within a path segment,
     * {@code **} across them), matched as a regular expression.
     */
    static ArrayNode v1Filters(String f) {
        ArrayNode filters = Json.MAPPER.createArrayNode();
        for (String part : f.split(";")) {
            java.util.regex.Matcher m = V1_OPERATOR.matcher(part);
            if (!m.find() || m.start() == 0) {
                throw ApiException.invalidField("filters", "'" + part + "' is not DIMENSION==VALUE (or !=, ~, !~)");
            }
            String op = m.group();
            List<String> values = List.of(part.substring(m.end()).split("\\|", -1));
            boolean glob = (op.equals("==") || op.equals("!=")) && values.stream().anyMatch(v -> v.contains("*"));
            ArrayNode filter = Json.MAPPER.createArrayNode();
            filter.add(switch (op) {
                case "==" -> glob ? "matches" : "is";
                case "!=" -> glob ? "matches_not" : "is_not";
                case "~" -> "contains";
                default -> "contains_not";
            });
            filter.add(part.substring(0, m.start()).strip());
            ArrayNode vs = filter.addArray();
            values.forEach(v -> vs.add(glob ? globRegex(v) : v));
            filters.add(filter);
        }
        return filters;
    }

    private static final java.util.regex.Pattern V1_OPERATOR = java.util.regex.Pattern.compile("!=|==|!~|~");

    /** A v1 wildcard as an anchored regular expression: ** any text, * any text without '/'. */
    private static String globRegex(String glob) {
        StringBuilder out = new StringBuilder("^");
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                boolean twice = i + 1 < glob.length() && glob.charAt(i + 1) == '*';
                out.append(twice ? ".*" : "[^/]*");
                i += twice ? 1 : 0;
            } else {
                out.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return out.append('$').toString();
    }

    // --- Umami ---

    private void umamiStats(Context ctx) {
        Site site = site(ctx, ctx.pathParam("id"), "websiteId");
        long[] range = umamiRange(ctx);
        List<String> metrics = List.of("pageviews", "visitors", "visits", "bounces", "visit_duration");
        ObjectNode q = query(site, List.of("pageviews", "visitors", "visits", "bounce_rate", "visit_duration"),
                Json.MAPPER.valueToTree(List.of(range[0], range[1])));
        ObjectNode p = query(site, List.of("pageviews", "visitors", "visits", "bounce_rate", "visit_duration"),
                Json.MAPPER.valueToTree(List.of(2 * range[0] - range[1], range[0])));
        long[] now = umamiTotals(run(site, q));
        long[] before = umamiTotals(run(site, p));
        Map<String, Object> out = new LinkedHashMap<>();
        String[] names = {"pageviews", "visitors", "visits", "bounces", "totaltime"};
        for (int i = 0; i < names.length; i++) {
            out.put(names[i], Map.of("value", now[i], "prev", before[i]));
        }
        ctx.json(out);
    }

    /** Umami's totals: bounces and total time as counts from our bounce rate and mean visit duration. */
    private static long[] umamiTotals(QueryResponse r) {
        if (r.results().isEmpty()) {
            return new long[5];
        }
        List<Number> m = r.results().get(0).metrics();
        long visits = m.get(2).longValue();
        return new long[] {m.get(0).longValue(), m.get(1).longValue(), visits, Math.round(m.get(3).doubleValue() * visits / 100.0),
            Math.round(m.get(4).doubleValue() * visits)};
    }

    private void umamiPageviews(Context ctx) {
        Site site = site(ctx, ctx.pathParam("id"), "websiteId");
        long[] range = umamiRange(ctx);
        String unit = ctx.queryParamAsClass("unit", String.class).getOrDefault("day");
        if (!List.of("minute", "hour", "day", "month").contains(unit)) {
            throw ApiException.invalidField("unit", "one of minute, hour, day, month");
        }
        ObjectNode q = query(site, List.of("pageviews", "visits"), Json.MAPPER.valueToTree(List.of(range[0], range[1])));
        q.set("dimensions", Json.MAPPER.valueToTree(List.of("time:" + unit)));
        QueryResponse r = run(site, q);
        List<Map<String, Object>> pageviews = new ArrayList<>();
        List<Map<String, Object>> sessions = new ArrayList<>();
        for (QueryResponse.Row row : r.results()) {
            String x = String.valueOf(row.dimensions().get(0));
            pageviews.add(Map.of("x", x, "y", row.metrics().get(0)));
            sessions.add(Map.of("x", x, "y", row.metrics().get(1)));
        }
        ctx.json(Map.of("pageviews", pageviews, "sessions", sessions));
    }

    private void umamiMetrics(Context ctx) {
        Site site = site(ctx, ctx.pathParam("id"), "websiteId");
        long[] range = umamiRange(ctx);
        String type = ctx.queryParam("type");
        String[] mapped = type == null ? null : UMAMI_TYPES.get(type);
        if (mapped == null) {
            throw ApiException.invalidField("type", "one of " + String.join(", ", new java.util.TreeSet<>(UMAMI_TYPES.keySet())));
        }
        int limit = ctx.queryParamAsClass("limit", Integer.class).getOrDefault(500);
        ObjectNode q = query(site, List.of(mapped[1]), Json.MAPPER.valueToTree(List.of(range[0], range[1])));
        q.set("dimensions", Json.MAPPER.valueToTree(List.of(mapped[0])));
        q.set("pagination", Json.MAPPER.valueToTree(Map.of("limit", Math.max(1, Math.min(limit, 1000)), "offset", 0)));
        if ("event".equals(type)) {
            q.set("filters", Json.MAPPER.valueToTree(List.of(List.of("is", "event:type", List.of("custom")))));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (QueryResponse.Row row : run(site, q).results()) {
            out.add(Map.of("x", String.valueOf(row.dimensions().get(0)), "y", row.metrics().get(0)));
        }
        ctx.json(out);
    }

    /** {@code startAt} and {@code endAt} in epoch milliseconds, as Umami takes them. */
    private static long[] umamiRange(Context ctx) {
        long[] out = new long[2];
        String[] names = {"startAt", "endAt"};
        for (int i = 0; i < 2; i++) {
            String v = ctx.queryParam(names[i]);
            if (v == null || !v.matches("\\d{1,15}")) {
                throw ApiException.invalidField(names[i], "is required: epoch milliseconds");
            }
            out[i] = Long.parseLong(v);
        }
        if (out[1] <= out[0]) {
            throw ApiException.invalidField("endAt", "must be after startAt");
        }
        return out;
    }

    // --- shared ---

    private Site site(Context ctx, String id, String field) {
        if (id == null || id.isBlank()) {
            throw ApiException.invalidField(field, "is required");
        }
        // A peer's identifier for the site (a Umami website UUID) is one of its aliases.
        String siteId = sites.find(id).or(() -> sites.findByAlias(id)).map(Site::id).orElse(id);
        Site site = auth.requireSiteReader(ctx, siteId);
        if (site == null) {
            throw ApiException.invalidField(field, "unknown site '" + id + "'");
        }
        return site;
    }

    private static ObjectNode query(Site site, List<String> metrics, com.fasterxml.jackson.databind.JsonNode range) {
        ObjectNode q = Json.MAPPER.createObjectNode();
        q.put("site_id", site.id());
        q.set("metrics", Json.MAPPER.valueToTree(metrics));
        q.set("date_range", range);
        return q;
    }

    private QueryResponse run(Site site, ObjectNode q) {
        return queries.run(parser.parse(QueryRequest.of(q), site));
    }

    private static Number single(QueryResponse r) {
        return r.results().isEmpty() ? 0 : r.results().get(0).metrics().get(0);
    }

    /** The period of the same length just before a v2 date range of two dates. */
    private static com.fasterxml.jackson.databind.JsonNode previous(com.fasterxml.jackson.databind.JsonNode range, Site site) {
        LocalDate from;
        LocalDate to;
        if (range.isArray()) {
            from = LocalDate.parse(range.get(0).asText());
            to = LocalDate.parse(range.get(1).asText());
        } else {
            LocalDate today = ZonedDateTime.now(site.zone()).toLocalDate();
            to = today;
            from = switch (range.asText()) {
                case "day" -> today;
                case "7d" -> today.minusDays(6);
                case "month" -> today.withDayOfMonth(1);
                case "6mo" -> today.withDayOfMonth(1).minusMonths(5);
                case "12mo" -> today.withDayOfMonth(1).minusMonths(11);
                case "year" -> today.withDayOfYear(1);
                default -> today.minusDays(29);
            };
        }
        long days = to.toEpochDay() - from.toEpochDay() + 1;
        return Json.MAPPER.valueToTree(List.of(from.minusDays(days).toString(), from.minusDays(1).toString()));
    }
}
