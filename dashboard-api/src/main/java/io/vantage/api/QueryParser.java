package io.vantage.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.vantage.http.ApiException;
import io.vantage.model.Event;
import io.vantage.model.Site;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Validates a {@link QueryRequest} against a site and the clock; every mistake is a 400 naming the culprit. */
public final class QueryParser {
    public static final int MAX_LIMIT = 10_000;
    /**
     * Query cost bounds: the finest time groupings over bounded ranges, a week of minutes and a
     * year of hours (every named date_range up to "year" and "12mo"; at most 10,140 and 8,808
     * buckets); each with the hour a week has more when clocks go back.
     */
    static final long MAX_MINUTE_RANGE_MS = 7 * 86_400_000L + 3_600_000L;
    static final long MAX_HOUR_RANGE_MS = 367 * 86_400_000L;
    /** {@code fromMs} of a query over {@code "all"}: resolved to the site's first visit when it runs. */
    public static final long ALL = Long.MIN_VALUE;

    private final Clock clock;

    public QueryParser(Clock clock) {
        this.clock = clock;
    }

    public Query parse(QueryRequest r, Site site) {
        if (r.metrics() == null || r.metrics().isEmpty()) {
            throw ApiException.invalidField("metrics", "at least one metric is required, e.g. [\"visitors\"]");
        }
        if (r.metrics().stream().anyMatch(java.util.Objects::isNull)) { // List.of(...).contains(null) would throw
            throw ApiException.invalidField("metrics", "a metric is null; name metrics like \"visitors\"");
        }
        if (r.dimensions() != null && r.dimensions().stream().anyMatch(java.util.Objects::isNull)) {
            throw ApiException.invalidField("dimensions", "a dimension is null; name dimensions like \"event:page\"");
        }
        List<Metric> metrics = new ArrayList<>();
        for (String m : r.metrics()) {
            metrics.add(Metric.ofApiName(m).orElseThrow(() -> ApiException.invalidField("metrics",
                    "unknown metric '" + m + "'; one of " + Metric.names())));
        }
        List<String> dims = r.dimensions() == null ? List.of() : List.copyOf(r.dimensions());
        TimeGrouping time = null;
        int others = 0;
        for (String d : dims) {
            var t = TimeGrouping.ofApiName(d);
            if (t.isPresent()) {
                if (time != null) {
                    throw ApiException.invalidField("dimensions", "at most one time dimension, got '" + time.apiName() + "' and '" + d + "'");
                }
                time = t.get();
                continue;
            }
            Dimension.ofApiName(d).orElseThrow(() -> ApiException.invalidField("dimensions",
                    "unknown dimension '" + d + "'; one of " + Dimension.NAMES));
            if (++others > 2) {
                throw ApiException.invalidField("dimensions", "at most two dimensions besides time, got " + dims);
            }
        }
        if (dims.size() != dims.stream().distinct().count()) {
            throw ApiException.invalidField("dimensions", "a dimension is named twice in " + dims);
        }
        if (metrics.contains(Metric.REALTIME_VISITORS) && !dims.isEmpty()) {
            throw ApiException.invalidField("metrics", "realtime_visitors is a total; ask for it without dimensions");
        }
        List<ScanRequest.FilterSpec> filters = filters(r.filters(), site.zone());
        long[] range = range(r.dateRange(), site);
        if (range[0] != ALL) {
            // "all" is checked once the site's first visit resolves it (QueryService).
            checkSpan(time, range[0], range[1]);
        }
        boolean timeLabels = include(r.include());
        if (timeLabels && time == null) {
            throw ApiException.invalidField("include.time_labels", "needs a time dimension, e.g. \"time:day\"");
        }
        int limit = r.pagination() == null || r.pagination().limit() == null ? MAX_LIMIT : r.pagination().limit();
        int offset = r.pagination() == null || r.pagination().offset() == null ? 0 : r.pagination().offset();
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalidField("pagination.limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (offset < 0) {
            throw ApiException.invalidField("pagination.offset", "must not be negative");
        }
        return new Query(site, metrics, dims, range[0], range[1], time, filters, orderBy(r.orderBy(), metrics, dims, time),
                limit, offset, timeLabels);
    }

    private static boolean include(JsonNode node) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isObject()) {
            throw ApiException.invalidField("include", "must be an object like {\"time_labels\": true}");
        }
        var names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!n.equals("time_labels")) {
                throw ApiException.invalidField("include." + n, "unknown; include has time_labels");
            }
        }
        JsonNode t = node.get("time_labels");
        if (t != null && !t.isBoolean()) {
            throw ApiException.invalidField("include.time_labels", "must be true or false");
        }
        return t != null && t.asBoolean();
    }

    /** The range as epoch milliseconds {@code [from, to)}. */
    private long[] range(JsonNode node, Site site) {
        ZoneId zone = site.zone();
        LocalDateTime now = LocalDateTime.now(clock.withZone(zone));
        LocalDate today = now.toLocalDate();
        if (node == null || node.isNull()) {
            throw ApiException.invalidField("date_range", "is required: \"day\", \"7d\", \"30d\", \"month\", \"realtime\" or [\"2024-01-01\", \"2024-01-07\"]");
        }
        if (node.isTextual()) {
            String name = node.asText();
            return switch (name) {
                case "day" -> days(today, today, zone);
                case "7d" -> days(today.minusDays(6), today, zone);
                case "28d" -> days(today.minusDays(27), today, zone);
                case "30d" -> days(today.minusDays(29), today, zone);
                case "91d" -> days(today.minusDays(90), today, zone);
                case "month" -> days(today.withDayOfMonth(1), today, zone);
                case "6mo" -> days(today.withDayOfMonth(1).minusMonths(5), today, zone);
                case "12mo" -> days(today.withDayOfMonth(1).minusMonths(11), today, zone);
                case "year" -> days(today.withDayOfYear(1), today, zone);
                case "all" -> new long[] {ALL, days(today, today, zone)[1]};
                case "realtime" -> {
                    long end = clock.millis() - Math.floorMod(clock.millis(), 60_000L) + 60_000L;
                    yield new long[] {end - 30 * 60_000L, end};
                }
                default -> throw ApiException.invalidField("date_range", "unknown range '" + name
                        + "'; use day, 7d, 28d, 30d, 91d, month, 6mo, 12mo, year, all, realtime or a pair of dates");
            };
        }
        if (!node.isArray() || node.size() != 2) {
            throw ApiException.invalidField("date_range", "must be a name or a pair of dates, date-times or epoch milliseconds");
        }
        long[] out;
        JsonNode a = node.get(0);
        JsonNode b = node.get(1);
        try {
            if (a.isTextual() && b.isTextual() && a.asText().length() == 10 && b.asText().length() == 10) {
                out = days(LocalDate.parse(a.asText()), LocalDate.parse(b.asText()), zone);
            } else {
                out = new long[] {instant(a, zone), instant(b, zone)};
            }
        } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
            throw ApiException.invalidField("date_range", "'" + a.asText() + "', '" + b.asText()
                    + "' are not ISO-8601 dates (2024-01-31), date-times (2024-01-31T10:00:00Z) or epoch milliseconds");
        }
        if (out[1] <= out[0]) {
            throw ApiException.invalidField("date_range", "the end is not after the start");
        }
        if (out[0] < Event.MIN_TS) {
            throw ApiException.invalidField("date_range", "starts before 1970-01-02");
        }
        return out;
    }

    private static long instant(JsonNode n, ZoneId zone) {
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        String s = n.asText();
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(s);
        }
        try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeException e) {
            return LocalDateTime.parse(s).atZone(zone).toInstant().toEpochMilli();
        }
    }

    private static long[] days(LocalDate first, LocalDate last, ZoneId zone) {
        return new long[] {first.atStartOfDay(zone).toInstant().toEpochMilli(), last.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli()};
    }

    private static List<ScanRequest.FilterSpec> filters(JsonNode node, java.time.ZoneId zone) {
        List<ScanRequest.FilterSpec> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw ApiException.invalidField("filters", "must be a list like [[\"is\", \"event:page\", [\"/\"]]]");
        }
        for (JsonNode f : node) {
            if (!f.isArray() || f.size() < 3 || f.size() > 4 || !f.get(0).isTextual() || !f.get(1).isTextual() || !f.get(2).isArray()) {
                throw ApiException.invalidField("filters", "each filter is [operator, dimension, [values]] with an optional {\"case_sensitive\": false}, got " + f);
            }
            String op = f.get(0).asText();
            if (!Filter.OPS.contains(op)) {
                throw ApiException.invalidField("filters", "unknown operator '" + op + "'; use one of " + Filter.OPS);
            }
            String dim = f.get(1).asText();
            // Any dimension may be filtered (metrics.md), time buckets included: a time filter keeps the
            // instants whose bucket label it matches (events by their time, visits by their start).
            Dimension d = Dimension.ofApiName(dim).or(() -> TimeGrouping.ofApiName(dim).map(Dimension::time))
                    .orElseThrow(() -> ApiException.invalidField("filters", "unknown dimension '" + dim + "' in a filter; one of " + Dimension.NAMES));
            List<String> values = new ArrayList<>();
            for (JsonNode v : f.get(2)) {
                if (!v.isTextual() && !v.isNumber()) {
                    throw ApiException.invalidField("filters", "filter values are strings, got " + v);
                }
                values.add(v.asText());
            }
            if (values.isEmpty()) {
                throw ApiException.invalidField("filters", "a filter needs at least one value, got " + f);
            }
            if (op.equals("is") || op.equals("is_not")) {
                TimeGrouping.ofApiName(dim).ifPresent(g -> values.forEach(v -> timeLabel(g, v, zone)));
            }
            boolean caseSensitive = true;
            if (f.size() == 4) {
                JsonNode opts = f.get(3);
                if (!opts.isObject() || opts.size() != 1 || !opts.has("case_sensitive") || !opts.get("case_sensitive").isBoolean()) {
                    throw ApiException.invalidField("filters", "a filter's options are {\"case_sensitive\": true|false}, got " + opts);
                }
                caseSensitive = opts.get("case_sensitive").asBoolean();
            }
            try {
                Filter.of(op, d, values, caseSensitive);
            } catch (com.google.re2j.PatternSyntaxException e) {
                throw ApiException.invalidField("filters", "not a regular expression (RE2 syntax): " + e.getMessage());
            }
            out.add(new ScanRequest.FilterSpec(op, dim, values, caseSensitive));
        }
        return out;
    }

    /**
     * An exact time filter's value must be a label of its bucket, as the time dimension gives them
     * (else it could match nothing, and a mistyped date would read as a day without visitors): an
     * hour or minute with the site's offset at that time, on the hour or minute, seconds written.
     */
    private static void timeLabel(TimeGrouping g, String v, java.time.ZoneId zone) {
        java.time.LocalDate date = parsed(() -> java.time.LocalDate.parse(v));
        java.time.OffsetDateTime time = parsed(() -> java.time.OffsetDateTime.parse(v));
        String expected = switch (g) {
            case HOUR_OF_DAY -> v.matches("[0-9]|1[0-9]|2[0-3]") ? null : "an hour of day 0-23";
            case DAY -> date != null ? null : "a date like \"2026-12-07\"";
            case WEEK -> date != null && date.getDayOfWeek() == java.time.DayOfWeek.MONDAY ? null : "the Monday a week starts, like \"2026-12-07\"";
            case MONTH -> date != null && date.getDayOfMonth() == 1 ? null : "the first day of a month, like \"2026-12-01\"";
            case MINUTE, HOUR -> {
                Buckets buckets = new Buckets(zone, g);
                Long ms = time == null ? null : parsed(() -> time.toInstant().toEpochMilli());
                yield ms != null && v.equals(buckets.label(ms)) ? null
                        : "the start of " + (g == TimeGrouping.HOUR ? "an hour" : "a minute") + " with the site's offset, like \""
                        + buckets.label(java.time.Instant.parse("2026-12-07T13:00:00Z").toEpochMilli()) + "\"";
            }
        };
        if (expected != null) {
            throw ApiException.invalidField("filters", g.apiName() + " is compared with its labels: '" + v + "' is not " + expected);
        }
    }

    /** What {@code parse} returns, or null when the text is not of its form (or an instant beyond epoch milliseconds). */
    private static <T> T parsed(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (java.time.DateTimeException | ArithmeticException e) {
            return null;
        }
    }

    private static List<Query.Order> orderBy(JsonNode node, List<Metric> metrics, List<String> dims, TimeGrouping time) {
        List<Query.Order> out = new ArrayList<>();
        if (node != null && !node.isNull()) {
            if (!node.isArray()) {
                throw ApiException.invalidField("order_by", "must be a list like [[\"visitors\", \"desc\"]]");
            }
            for (JsonNode o : node) {
                String name = o.isArray() && o.size() == 2 ? o.get(0).asText() : null;
                String dir = o.isArray() && o.size() == 2 ? o.get(1).asText() : null;
                boolean known = name != null && (dims.contains(name) || metrics.stream().anyMatch(m -> m.apiName().equals(name)));
                if (!known || !("asc".equals(dir) || "desc".equals(dir))) {
                    throw ApiException.invalidField("order_by", "each entry is [metric or dimension of this query, \"asc\"|\"desc\"], got " + o);
                }
                out.add(new Query.Order(name, "asc".equals(dir)));
            }
        }
        if (out.isEmpty()) {
            if (time != null) {
                out.add(new Query.Order(time.apiName(), true));
            }
            out.add(new Query.Order(metrics.get(0).apiName(), false));
        }
        return out;
    }

    /** Refuses minutes over more than a week and hours over more than a year (the query's cost bound). */
    static void checkSpan(TimeGrouping time, long fromMs, long toMs) {
        long span = toMs - fromMs;
        if (time == TimeGrouping.MINUTE && span > MAX_MINUTE_RANGE_MS) {
            throw ApiException.invalidField("dimensions", "time:minute covers at most 7 days; use time:hour for longer ranges");
        }
        if (time == TimeGrouping.HOUR && span > MAX_HOUR_RANGE_MS) {
            throw ApiException.invalidField("dimensions", "time:hour covers at most a year; use time:day for longer ranges");
        }
    }

    /** An instant as the API's responses give it (api.md: ISO-8601 in UTC, seconds always written). */
    static String iso(long ms) {
        return Instant.ofEpochMilli(ms).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
