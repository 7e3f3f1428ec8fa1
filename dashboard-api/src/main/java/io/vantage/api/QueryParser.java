package io.vantage.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.vantage.http.ApiException;
import io.vantage.model.Site;
import io.vantage.processor.rollup.Dimension;
import io.vantage.processor.rollup.Granularity;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Validates a {@link QueryRequest} against a site and the clock; every mistake is a 400 naming the culprit. */
public final class QueryParser {
    public static final int MAX_LIMIT = 10_000;

    private final Clock clock;

    public QueryParser(Clock clock) {
        this.clock = clock;
    }

    public Query parse(QueryRequest r, Site site) {
        if (r.metrics() == null || r.metrics().isEmpty()) {
            throw ApiException.invalidField("metrics", "at least one metric is required, e.g. [\"visitors\"]");
        }
        List<Metric> metrics = new ArrayList<>();
        for (String m : r.metrics()) {
            metrics.add(Metric.ofApiName(m).orElseThrow(() -> ApiException.invalidField("metrics",
                    "unknown metric '" + m + "'; one of " + Metric.names())));
        }
        List<String> dims = r.dimensions() == null ? List.of() : r.dimensions();
        TimeGrouping time = null;
        Dimension breakdown = null;
        String traitName = null;
        for (String d : dims) {
            var t = TimeGrouping.ofApiName(d);
            if (t.isPresent()) {
                if (time != null) {
                    throw ApiException.invalidField("dimensions", "at most one time dimension, got '" + time.apiName() + "' and '" + d + "'");
                }
                time = t.get();
                continue;
            }
            if (breakdown != null) {
                throw ApiException.invalidField("dimensions", "at most one dimension besides time, got '" + dims + "'");
            }
            if (d.startsWith(Dimension.TRAIT_PREFIX) && d.length() > Dimension.TRAIT_PREFIX.length()) {
                breakdown = Dimension.TRAIT;
                traitName = d.substring(Dimension.TRAIT_PREFIX.length());
            } else {
                breakdown = Dimension.ofApiName(d).orElseThrow(() -> ApiException.invalidField("dimensions",
                        "unknown dimension '" + d + "'; one of event:page, event:type, event:name, visit:entry_page, visit:exit_page,"
                                + " visit:source, visit:referrer, visit:utm_source, visit:utm_medium, visit:utm_campaign, visit:country,"
                                + " visit:browser, visit:os, visit:device, visitor:trait:NAME, time:minute|hour|day|week|month|hour_of_day"));
            }
        }
        List<Filter> filters = filters(r.filters());
        Dimension scanned = breakdown == null ? Dimension.ALL : breakdown;
        for (Filter f : filters) {
            String expected = breakdown == Dimension.TRAIT ? Dimension.TRAIT_PREFIX + traitName : scanned.apiName();
            if (breakdown != null && !f.dimension().equals(expected)) {
                throw ApiException.invalidField("filters", "a filter on '" + f.dimension()
                        + "' needs that dimension as the breakdown; this query breaks down by " + expected);
            }
            if (breakdown == null) {
                Dimension fd = Dimension.ofApiName(f.dimension()).orElseThrow(() -> ApiException.invalidField("filters",
                        "unknown or unfilterable dimension '" + f.dimension() + "' in a filter"));
                if (scanned != Dimension.ALL && scanned != fd) {
                    throw ApiException.invalidField("filters", "filters on one dimension at a time, got " + scanned.apiName() + " and " + fd.apiName());
                }
                scanned = fd;
            }
        }
        if (breakdown == Dimension.TRAIT) {
            scanned = Dimension.TRAIT;
        }
        for (Metric m : metrics) {
            if (!m.definedFor(scanned.kind())) {
                throw ApiException.invalidField("metrics", "'" + m.apiName() + "' is not defined "
                        + (breakdown == null ? "with a filter on " + scanned.apiName() : "by " + dims.stream().filter(x -> !x.startsWith("time:")).findFirst().orElse(""))
                        + (scanned.kind() == Dimension.Kind.EVENT ? "; session metrics break down by visit:* dimensions" : ""));
            }
        }

        LocalDateTime[] range = range(r.dateRange(), site);
        Granularity needed = finest(time == null ? Granularity.DAY : time.granularity(), alignment(range[0]), alignment(range[1]));
        Dimension rowsOf = scanned == Dimension.TRAIT ? Dimension.ALL : scanned;
        Granularity g = null;
        for (Granularity candidate : new Granularity[] {Granularity.DAY, Granularity.HOUR, Granularity.MINUTE}) {
            boolean newOk = !metrics.contains(Metric.NEW_VISITORS) && !metrics.contains(Metric.RETURNING_VISITORS)
                    || Dimension.FIRST_SEEN.kept().contains(candidate);
            if (g == null && candidate.minutes() <= needed.minutes() && rowsOf.kept().contains(candidate) && newOk) {
                g = candidate;
            }
        }
        if (g == null) {
            throw ApiException.badRequest("unsupported_query", rowsOf.apiName() + " (and new visitors) are kept per "
                    + rowsOf.kept() + ", too coarse for this range or time dimension; use whole days or hours");
        }

        int limit = r.pagination() == null || r.pagination().limit() == null ? MAX_LIMIT : r.pagination().limit();
        int offset = r.pagination() == null || r.pagination().offset() == null ? 0 : r.pagination().offset();
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalidField("pagination.limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (offset < 0) {
            throw ApiException.invalidField("pagination.offset", "must not be negative");
        }
        return new Query(site, metrics, dims, range[0], range[1], time, breakdown, traitName, scanned, g, filters,
                orderBy(r.orderBy(), metrics, dims, time), limit, offset);
    }

    private LocalDateTime[] range(JsonNode node, Site site) {
        LocalDateTime now = LocalDateTime.now(clock.withZone(site.zone()));
        LocalDate today = now.toLocalDate();
        if (node == null || node.isNull()) {
            throw ApiException.invalidField("date_range", "is required: \"day\", \"7d\", \"30d\", \"month\", \"realtime\" or [\"2024-01-01\", \"2024-01-07\"]");
        }
        if (node.isTextual()) {
            return switch (node.asText()) {
                case "day" -> days(today, today);
                case "7d" -> days(today.minusDays(6), today);
                case "30d" -> days(today.minusDays(29), today);
                case "month" -> days(today.withDayOfMonth(1), today);
                case "realtime" -> {
                    LocalDateTime end = now.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
                    yield new LocalDateTime[] {end.minusMinutes(30), end};
                }
                default -> throw ApiException.invalidField("date_range", "unknown range '" + node.asText()
                        + "'; use \"day\", \"7d\", \"30d\", \"month\", \"realtime\" or a pair of dates");
            };
        }
        if (!node.isArray() || node.size() != 2 || !node.get(0).isTextual() || !node.get(1).isTextual()) {
            throw ApiException.invalidField("date_range", "must be a name or a pair of ISO-8601 dates or date-times");
        }
        String a = node.get(0).asText();
        String b = node.get(1).asText();
        LocalDateTime from;
        LocalDateTime to;
        try {
            if (a.length() == 10 && b.length() == 10) {
                LocalDateTime[] days = days(LocalDate.parse(a), LocalDate.parse(b));
                from = days[0];
                to = days[1];
            } else {
                from = OffsetDateTime.parse(a).atZoneSameInstant(site.zone()).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES);
                to = OffsetDateTime.parse(b).atZoneSameInstant(site.zone()).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            }
        } catch (DateTimeException e) {
            throw ApiException.invalidField("date_range", "'" + a + "', '" + b + "' are not ISO-8601 dates (2024-01-31) or date-times (2024-01-31T10:00:00Z)");
        }
        if (!to.isAfter(from)) {
            throw ApiException.invalidField("date_range", "the end is before the start");
        }
        if (from.getYear() < 1970) {
            throw ApiException.invalidField("date_range", "starts before 1970");
        }
        return new LocalDateTime[] {from, to};
    }

    private static LocalDateTime[] days(LocalDate first, LocalDate last) {
        return new LocalDateTime[] {first.atStartOfDay(), last.plusDays(1).atStartOfDay()};
    }

    private static Granularity alignment(LocalDateTime t) {
        if (t.toLocalTime().equals(java.time.LocalTime.MIDNIGHT)) {
            return Granularity.DAY;
        }
        return t.getMinute() == 0 ? Granularity.HOUR : Granularity.MINUTE;
    }

    private static Granularity finest(Granularity... gs) {
        Granularity f = Granularity.DAY;
        for (Granularity g : gs) {
            f = g.minutes() < f.minutes() ? g : f;
        }
        return f;
    }

    private static List<Filter> filters(JsonNode node) {
        List<Filter> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw ApiException.invalidField("filters", "must be a list like [[\"is\", \"event:page\", [\"/\"]]]");
        }
        for (JsonNode f : node) {
            if (!f.isArray() || f.size() != 3 || !f.get(0).isTextual() || !f.get(1).isTextual() || !f.get(2).isArray()) {
                throw ApiException.invalidField("filters", "each filter is [operator, dimension, [values]], got " + f);
            }
            String op = f.get(0).asText();
            if (!Filter.OPS.contains(op)) {
                throw ApiException.invalidField("filters", "unknown operator '" + op + "'; use one of " + Filter.OPS);
            }
            List<String> values = new ArrayList<>();
            f.get(2).forEach(v -> values.add(v.asText()));
            out.add(new Filter(op, f.get(1).asText(), values));
        }
        return out;
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

    private static String names(Metric[] values) {
        List<String> n = new ArrayList<>();
        for (Metric m : values) {
            n.add(m.apiName());
        }
        return String.join(", ", n);
    }
}
