package io.vantage.api;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers a query: every partition's share of the scan (local and peers), summed, then the metrics
 * of each row, the order and the page. Every number is exact, so {@code meta.estimated} never
 * appears.
 */
public final class QueryService {
    /** A week of minutes (with the hour a clock change adds) is the most a range may ask for. */
    private static final int MAX_TIME_LABELS = 7 * 1440 + 60;
    private final PartialSource source;
    private final Clock clock;

    public QueryService(PartialSource source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    public QueryResponse run(Query q) {
        long started = System.nanoTime();
        ZoneId zone = q.site().zone();
        long from = q.fromMs();
        if (from == QueryParser.ALL) {
            long first = source.firstVisitStart(q.site().id());
            LocalDate day = first == Long.MAX_VALUE ? LocalDate.now(clock.withZone(zone)) : Instant.ofEpochMilli(first).atZone(zone).toLocalDate();
            from = day.atStartOfDay(zone).toInstant().toEpochMilli();
            QueryParser.checkSpan(q.time(), from, q.toMs());
        }
        ScanRequest scan = new ScanRequest(q.site().id(), q.site().timezone(), q.site().goals(), from, q.toMs(), q.dimensions(), q.filters(),
                q.needs(Metric.REPEAT_VISITOR_RATE), top(q));
        Partial.Merged merged = Partial.merge(source.scan(scan));
        long realtime = 0;
        if (q.needs(Metric.REALTIME_VISITORS)) {
            long now = clock.millis();
            ScanRequest last5 = new ScanRequest(q.site().id(), q.site().timezone(), q.site().goals(), now - 5 * 60_000L, now + 60_000L,
                    List.of(), q.filters(), false);
            realtime = Partial.merge(source.scan(last5)).total()[Partial.VISITORS];
        }
        Metric shareMetric = q.metrics().stream().filter(m -> m != Metric.PERCENTAGE).findFirst().orElse(Metric.VISITORS);
        double shareTotal = shareMetric.of(new Metric.Row(merged.total(), 0, 0, merged.total()[Partial.VISITS], realtime)).doubleValue();
        List<Integer> eventDims = new ArrayList<>();
        boolean goal = false;
        for (int i = 0; i < q.dimensions().size(); i++) {
            var d = Dimension.ofApiName(q.dimensions().get(i));
            if (d.isPresent() && d.get().kind() == Dimension.Kind.EVENT) {
                eventDims.add(i);
                goal |= d.get().field() == Dimension.Field.GOAL;
            }
        }
        Map<List<String>, long[]> rows = merged.rows();
        if (q.dimensions().isEmpty()) {
            rows = Map.of(List.of(), merged.total());
        }
        List<List<String>> goalsUnreached = goal && q.dimensions().size() == 1 ? unreachedGoals(q, rows) : List.of();
        if (!goalsUnreached.isEmpty()) {
            rows = new java.util.HashMap<>(rows);
            for (List<String> key : goalsUnreached) {
                rows.put(key, new long[Partial.COUNTS]);
            }
        }
        List<Computed> computed = new ArrayList<>(rows.size());
        for (Map.Entry<List<String>, long[]> r : rows.entrySet()) {
            long[] c = r.getValue();
            long visitsBase = c[Partial.VISITS];
            if (goal) {
                List<String> base = new ArrayList<>(r.getKey());
                eventDims.forEach(i -> base.set(i, "*"));
                long[] b = merged.goalBase().get(base);
                visitsBase = b == null ? 0 : b[Partial.VISITS];
            }
            double shareOf = shareMetric.of(new Metric.Row(c, 0, 0, visitsBase, realtime)).doubleValue();
            Metric.Row row = new Metric.Row(c, shareOf, shareTotal, visitsBase, realtime);
            List<Number> values = new ArrayList<>(q.metrics().size());
            boolean any = false;
            for (Metric m : q.metrics()) {
                Number v = m.of(row);
                values.add(v);
                any |= v.doubleValue() != 0;
            }
            // A row exists for the events or visits it counts; one whose every asked number is 0
            // (visits by start hour, but only events in this hour) is left out, as empty buckets are.
            if (q.dimensions().isEmpty() || any || goalsUnreached.contains(r.getKey())) {
                computed.add(new Computed(r.getKey(), values));
            }
        }
        List<Computed> first = first(computed, comparator(q), (long) q.offset() + q.limit());
        List<QueryResponse.Row> page = new ArrayList<>();
        for (int i = q.offset(); i < first.size(); i++) {
            page.add(first.get(i).toRow(q));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("total_rows", computed.size());
        if (q.timeLabels()) {
            List<String> labels = new Buckets(zone, q.time()).labelsBetween(from, q.toMs(), MAX_TIME_LABELS);
            if (labels == null) {
                throw io.vantage.http.ApiException.invalidField("include.time_labels", "more than " + MAX_TIME_LABELS
                        + " time buckets in this range; use a coarser time dimension");
            }
            // Hours of the day are numbers, in the labels as in the rows.
            meta.put("time_labels", q.time() == TimeGrouping.HOUR_OF_DAY ? labels.stream().map(Integer::valueOf).toList() : labels);
        }
        long retainedFrom = q.site().retainedFrom(clock.millis());
        if (from < retainedFrom) {
            // The site's retention deleted what came before: the numbers cover the rest of the range only.
            meta.put("retained_from", java.time.Instant.ofEpochMilli(retainedFrom).toString());
        }
        meta.put("took_ms", (System.nanoTime() - started) / 1_000_000.0);
        return new QueryResponse(page, meta, echo(q, from));
    }

    /**
     * What a scan may leave inexact in the rows this query cannot show: with a breakdown ordered
     * first by visitors, visits, pageviews or events (descending), and no metric that reads new or
     * repeat visitors, only the first {@code offset + limit} rows by that count are shown (the
     * order's other keys only break ties among rows with the same count). Null otherwise.
     */
    static ScanRequest.Top top(Query q) {
        if (q.dimensions().isEmpty() || q.orderBy().isEmpty() || q.orderBy().get(0).ascending()) {
            return null;
        }
        for (Metric m : q.metrics()) {
            if (m == Metric.NEW_VISITORS || m == Metric.RETURNING_VISITORS || m == Metric.REPEAT_VISITOR_RATE || m == Metric.REALTIME_VISITORS) {
                return null;
            }
        }
        int count = switch (q.orderBy().get(0).name()) {
            case "visitors" -> Partial.VISITORS;
            case "visits" -> Partial.VISITS;
            case "pageviews" -> Partial.PAGEVIEWS;
            case "events" -> Partial.EVENTS;
            default -> -1;
        };
        long rows = (long) q.offset() + q.limit();
        return count < 0 || rows > Integer.MAX_VALUE ? null : new ScanRequest.Top(count, (int) rows);
    }

    /**
     * The first {@code n} rows in {@code order}, in order: a month of pages is thousands of rows, of
     * which a page shows ten, so the rows past a small {@code n} are only compared with the worst
     * row kept (a heap), not sorted.
     */
    static <T> List<T> first(List<T> rows, Comparator<? super T> order, long n) {
        if (n >= rows.size() || n > rows.size() / 4) {
            List<T> all = new ArrayList<>(rows);
            all.sort(order);
            return all.subList(0, (int) Math.min(n, all.size()));
        }
        java.util.PriorityQueue<T> kept = new java.util.PriorityQueue<>((int) n + 1, order.reversed());
        for (T r : rows) {
            if (kept.size() < n) {
                kept.add(r);
            } else if (n > 0 && order.compare(r, kept.peek()) < 0) {
                kept.poll();
                kept.add(r);
            }
        }
        List<T> out = new ArrayList<>(kept);
        out.sort(order);
        return out;
    }

    /** A row with its metric values; its key joined (the last tie-break) only when a comparison gets that far. */
    private static final class Computed {
        private final List<String> key;
        private final List<Number> values;
        private String joined;

        Computed(List<String> key, List<Number> values) {
            this.key = key;
            this.values = values;
        }

        List<String> key() {
            return key;
        }

        List<Number> values() {
            return values;
        }

        String joined() {
            if (joined == null) {
                joined = String.join("\u0000", key);
            }
            return joined;
        }

        QueryResponse.Row toRow(Query q) {
            List<Object> dims = new ArrayList<>(key.size());
            for (int i = 0; i < key.size(); i++) {
                dims.add(TimeGrouping.HOUR_OF_DAY.apiName().equals(q.dimensions().get(i)) ? (Object) Integer.valueOf(key.get(i)) : key.get(i));
            }
            return new QueryResponse.Row(dims, values);
        }
    }

    /**
     * A goal breakdown has one row per goal of the site and one for form submissions (metrics.md),
     * also for those no session reached in the period: the keys of those without a row, as far as
     * the query's goal filters keep them.
     */
    private static List<List<String>> unreachedGoals(Query q, Map<List<String>, long[]> rows) {
        List<String> names = new ArrayList<>(q.site().goals());
        names.add(io.vantage.model.EventType.FORM_SUBMIT.wire());
        List<List<String>> out = new ArrayList<>();
        for (String name : names) {
            List<String> key = List.of(name);
            boolean kept = q.filters().stream().filter(f -> f.dimension().equals("event:goal"))
                    .allMatch(f -> Filter.of(f.op(), Dimension.ofApiName(f.dimension()).orElseThrow(), f.values(), f.caseSensitive()).test(name));
            if (kept && !rows.containsKey(key) && !out.contains(key)) {
                out.add(key);
            }
        }
        return out;
    }

    private static Comparator<Computed> comparator(Query q) {
        Comparator<Computed> c = null;
        for (Query.Order o : q.orderBy()) {
            int dim = q.dimensions().indexOf(o.name());
            Comparator<Computed> next;
            if (dim >= 0) {
                boolean numeric = TimeGrouping.HOUR_OF_DAY.apiName().equals(o.name());
                boolean instant = TimeGrouping.MINUTE.apiName().equals(o.name()) || TimeGrouping.HOUR.apiName().equals(o.name());
                if (numeric) {
                    next = Comparator.comparingInt(r -> Integer.parseInt(r.key().get(dim)));
                } else if (instant) {
                    // By the instant each label starts at (parsed once per label): on the night clocks go back
                    // the text of two labels does not sort by time.
                    Map<String, Long> starts = new java.util.HashMap<>();
                    next = Comparator.comparingLong(r -> starts.computeIfAbsent(r.key().get(dim), Buckets::startOf));
                } else {
                    next = Comparator.comparing(r -> r.key().get(dim));
                }
            } else {
                int m = q.metrics().stream().map(Metric::apiName).toList().indexOf(o.name());
                next = Comparator.comparingDouble(r -> r.values().get(m).doubleValue());
            }
            next = o.ascending() ? next : next.reversed();
            c = c == null ? next : c.thenComparing(next);
        }
        Comparator<Computed> byKey = Comparator.comparing(Computed::joined);
        return c == null ? byKey : c.thenComparing(byKey);
    }

    private static Map<String, Object> echo(Query q, long from) {
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("site_id", q.site().id());
        echo.put("metrics", q.metrics().stream().map(Metric::apiName).toList());
        echo.put("date_range", List.of(QueryParser.iso(from), QueryParser.iso(q.toMs() - 1)));
        echo.put("timezone", q.site().timezone());
        echo.put("dimensions", q.dimensions());
        echo.put("filters", q.filters().stream().map(f -> f.caseSensitive() ? List.of(f.op(), f.dimension(), f.values())
                : List.of(f.op(), f.dimension(), f.values(), Map.of("case_sensitive", false))).toList());
        echo.put("order_by", q.orderBy().stream().map(o -> List.of(o.name(), o.ascending() ? "asc" : "desc")).toList());
        echo.put("pagination", Map.of("limit", q.limit(), "offset", q.offset()));
        echo.put("include", Map.of("time_labels", q.timeLabels()));
        return echo;
    }
}
