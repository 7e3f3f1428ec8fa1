package io.vantage.api;

import io.vantage.processor.rollup.Dimension;
import io.vantage.processor.rollup.Granularity;
import io.vantage.processor.rollup.LocalMinutes;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Answers queries from rollups: a range scan per needed dimension over every partition (local and
 * peers), merged; then metrics, order and pages. A week costs seven day rows per value, not a
 * rescan of its events.
 */
public final class QueryService {
    private final PartialSource source;
    private final Clock clock;

    public QueryService(PartialSource source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    public QueryResponse run(Query q) {
        long started = System.nanoTime();
        long from = LocalMinutes.of(q.from());
        long to = LocalMinutes.of(q.to());
        String site = q.site().id();
        List<String> timeKey = q.time() == null ? List.of() : List.of(q.time().apiName());

        Map<List<String>, Aggregate> firstSeen = q.needs(Metric.NEW_VISITORS) || q.needs(Metric.RETURNING_VISITORS)
                ? scan(new ScanSpec(site, Dimension.FIRST_SEEN, q.granularity(), from, to, timeKey, null, List.of(), true))
                : Map.of();
        long total = q.needs(Metric.PERCENTAGE)
                ? totalVisitors(scan(new ScanSpec(site, Dimension.ALL, q.granularity(), from, to, List.of(), null, List.of(), true)))
                : 0;
        long realtime = 0;
        if (q.needs(Metric.REALTIME_VISITORS)) {
            long now = LocalMinutes.of(clock.millis(), q.site().zone());
            realtime = totalVisitors(source.scanAll(new ScanSpec(site, Dimension.ALL, Granularity.MINUTE, now - 4, now + 1, List.of(), null, List.of(), true)));
        }

        List<QueryResponse.Row> rows = new ArrayList<>();
        if (q.scanned() == Dimension.TRAIT) {
            TraitJoin join = new TraitJoin(
                    new ScanSpec(site, Dimension.ALL, q.granularity(), from, to, timeKey, null, List.of(), true),
                    new ScanSpec(site, Dimension.TRAIT, Granularity.DAY, 0, 1, List.of(ScanSpec.VALUE), q.traitName() + "=", q.filters(), true));
            for (Map.Entry<List<String>, Long> c : source.traitCounts(join).entrySet()) {
                List<String> time = c.getKey().subList(0, c.getKey().size() - 1);
                rows.add(row(q, time, c.getKey().get(c.getKey().size() - 1),
                        new Metric.Row(new Aggregate(), q.kind(), c.getValue(), 0, total, realtime)));
            }
        } else {
            List<String> groupKeys = new ArrayList<>();
            for (String d : q.dimensions()) {
                groupKeys.add(d.startsWith("time:") ? d : ScanSpec.VALUE);
            }
            Map<List<String>, Aggregate> groups = scan(new ScanSpec(site, q.scanned(), q.granularity(), from, to,
                    groupKeys, null, q.filters(), q.metrics().stream().anyMatch(Metric::countsVisitors)));
            if (q.dimensions().isEmpty() && groups.isEmpty()) {
                groups = Map.of(List.of(), new Aggregate());
            }
            for (Map.Entry<List<String>, Aggregate> g : groups.entrySet()) {
                Aggregate a = g.getValue();
                long visitors = q.kind() == Dimension.Kind.VISIT ? a.starters().count() : a.visitors().count();
                Aggregate fs = firstSeen.get(g.getKey());
                long newVisitors = fs == null ? 0 : fs.visitors().count();
                rows.add(labelled(q, g.getKey(), new Metric.Row(a, q.kind(), visitors, newVisitors, total, realtime)));
            }
        }
        rows.sort(comparator(q));
        List<QueryResponse.Row> page = rows.subList(Math.min(q.offset(), rows.size()),
                (int) Math.min((long) q.offset() + q.limit(), rows.size()));
        return new QueryResponse(new ArrayList<>(page), meta(q, rows.size(), started), echo(q));
    }

    /**
     * A scan of day rows, read as whole weeks where the dimension keeps weeks and the grouping
     * allows (none, or by week): days before the first whole week, the weeks, days after.
     */
    private Map<List<String>, Aggregate> scan(ScanSpec spec) {
        boolean byWeekOrNone = spec.groupKeys().stream().allMatch(k -> ScanSpec.VALUE.equals(k) || TimeGrouping.WEEK.apiName().equals(k));
        if (spec.granularity() != Granularity.DAY || !spec.dimension().kept().contains(Granularity.WEEK) || !byWeekOrNone) {
            return source.scanAll(spec);
        }
        long firstWeek = Granularity.WEEK.bucketOf(spec.fromBucket() + Granularity.WEEK.minutes() - 1);
        long lastWeek = Granularity.WEEK.bucketOf(spec.toBucket());
        if (firstWeek >= lastWeek) {
            return source.scanAll(spec);
        }
        Map<List<String>, Aggregate> merged = new java.util.HashMap<>(source.scanAll(withRange(spec, Granularity.WEEK, firstWeek, lastWeek)));
        for (long[] days : new long[][] {{spec.fromBucket(), firstWeek}, {lastWeek, spec.toBucket()}}) {
            if (days[0] < days[1]) {
                source.scanAll(withRange(spec, Granularity.DAY, days[0], days[1])).forEach((k, a) -> merged.merge(k, a, Aggregate::add));
            }
        }
        return merged;
    }

    private static ScanSpec withRange(ScanSpec s, Granularity g, long from, long to) {
        return new ScanSpec(s.site(), s.dimension(), g, from, to, s.groupKeys(), s.valuePrefix(), s.filters(), s.withVisitors());
    }

    private static long totalVisitors(Map<List<String>, Aggregate> totals) {
        Aggregate all = totals.get(List.of());
        return all == null ? 0 : all.visitors().count();
    }

    /** A trait row: the time label (if any) and the trait value, in the order the dimensions were asked. */
    private static QueryResponse.Row row(Query q, List<String> timeKey, String traitValue, Metric.Row r) {
        List<String> key = new ArrayList<>();
        for (String d : q.dimensions()) {
            key.add(d.startsWith("time:") ? timeKey.get(0) : traitValue);
        }
        return labelled(q, key, r);
    }

    private static QueryResponse.Row labelled(Query q, List<String> key, Metric.Row r) {
        List<Object> dims = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            dims.add(TimeGrouping.HOUR_OF_DAY.apiName().equals(q.dimensions().get(i)) ? (Object) Integer.valueOf(key.get(i)) : key.get(i));
        }
        List<Number> values = new ArrayList<>();
        for (Metric m : q.metrics()) {
            values.add(m.of(r));
        }
        return new QueryResponse.Row(dims, values);
    }

    private static Map<String, Object> meta(Query q, int total, long started) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("total_rows", total);
        meta.put("took_ms", (System.nanoTime() - started) / 1_000_000.0);
        meta.put("rollup_granularity", q.granularity().name().toLowerCase(Locale.ROOT));
        return meta;
    }

    private static Map<String, Object> echo(Query q) {
        Map<String, Object> echo = new LinkedHashMap<>();
        ZoneId zone = q.site().zone();
        echo.put("site_id", q.site().id());
        echo.put("metrics", q.metrics().stream().map(Metric::apiName).toList());
        echo.put("date_range", List.of(q.from().atZone(zone).toOffsetDateTime().toString(),
                q.to().minusSeconds(1).atZone(zone).toOffsetDateTime().toString()));
        echo.put("timezone", q.site().timezone());
        echo.put("dimensions", q.dimensions());
        echo.put("filters", q.filters().stream().map(f -> List.of(f.op(), f.dimension(), f.values())).toList());
        echo.put("order_by", q.orderBy().stream().map(o -> List.of(o.name(), o.ascending() ? "asc" : "desc")).toList());
        echo.put("pagination", Map.of("limit", q.limit(), "offset", q.offset()));
        return echo;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparator<QueryResponse.Row> comparator(Query q) {
        Comparator<QueryResponse.Row> c = null;
        for (Query.Order o : q.orderBy()) {
            int dim = q.dimensions().indexOf(o.name());
            int metric = -1;
            for (int i = 0; i < q.metrics().size(); i++) {
                if (q.metrics().get(i).apiName().equals(o.name())) {
                    metric = i;
                }
            }
            Comparator<QueryResponse.Row> next;
            if (dim >= 0) {
                next = Comparator.comparing(r -> (Comparable) r.dimensions().get(dim));
            } else {
                int m = metric;
                next = Comparator.comparingDouble(r -> r.metrics().get(m).doubleValue());
            }
            next = o.ascending() ? next : next.reversed();
            c = c == null ? next : c.thenComparing(next);
        }
        // Ties broken by the dimension values, so pages are stable.
        Comparator<QueryResponse.Row> ties = Comparator.comparing(r -> r.dimensions().toString());
        return c == null ? ties : c.thenComparing(ties);
    }
}
