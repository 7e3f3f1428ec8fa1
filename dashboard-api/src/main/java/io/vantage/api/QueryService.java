package io.vantage.api;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Answers queries from rollups: one scan over every partition (local and peers), then metrics, order and pages. */
public final class QueryService {
    private final PartialSource source;

    public QueryService(PartialSource source) {
        this.source = source;
    }

    public QueryResponse run(Query q) {
        long started = System.nanoTime();
        Map<List<String>, Aggregate> groups = source.scanAll(q.scan());
        if (q.dimensions().isEmpty() && groups.isEmpty()) {
            groups = Map.of(List.of(), new Aggregate());
        }
        List<QueryResponse.Row> rows = new ArrayList<>();
        for (Map.Entry<List<String>, Aggregate> g : groups.entrySet()) {
            List<Object> dims = new ArrayList<>();
            for (int i = 0; i < g.getKey().size(); i++) {
                String label = g.getKey().get(i);
                dims.add(TimeGrouping.HOUR_OF_DAY.apiName().equals(q.dimensions().get(i)) ? Integer.valueOf(label) : label);
            }
            List<Number> values = new ArrayList<>();
            for (Metric m : q.metrics()) {
                values.add(m.of(g.getValue()));
            }
            rows.add(new QueryResponse.Row(dims, values));
        }
        rows.sort(comparator(q));
        List<QueryResponse.Row> page = rows.subList(Math.min(q.offset(), rows.size()), Math.min(q.offset() + q.limit(), rows.size()));

        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("total_rows", rows.size());
        meta.put("took_ms", (System.nanoTime() - started) / 1_000_000.0);
        meta.put("rollup_granularity", q.scan().granularity().name().toLowerCase(java.util.Locale.ROOT));
        Map<String, Object> echo = new LinkedHashMap<>();
        ZoneId zone = q.site().zone();
        echo.put("site_id", q.site().id());
        echo.put("metrics", q.metrics().stream().map(Metric::apiName).toList());
        echo.put("date_range", List.of(q.from().atZone(zone).toOffsetDateTime().toString(),
                q.to().minusSeconds(1).atZone(zone).toOffsetDateTime().toString()));
        echo.put("timezone", q.site().timezone());
        echo.put("dimensions", q.dimensions());
        echo.put("filters", q.scan().filters().stream().map(f -> List.of(f.op(), f.dimension(), f.values())).toList());
        echo.put("order_by", q.orderBy().stream().map(o -> List.of(o.name(), o.ascending() ? "asc" : "desc")).toList());
        echo.put("pagination", Map.of("limit", q.limit(), "offset", q.offset()));
        return new QueryResponse(new ArrayList<>(page), meta, echo);
    }

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
