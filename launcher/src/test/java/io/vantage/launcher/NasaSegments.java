package io.vantage.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * metrics.md's session and segment definitions computed a second time, independently of the
 * engine: a plain pass over the NASA day (rows sorted by host and time, file order for equal
 * times, a new visit after a gap of more than 30 minutes), for {@link RealLogsIT} to compare
 * filtered queries with. Deliberately naive: lists and sets, no store, no codec.
 */
final class NasaSegments {
    record Row(String host, long ts, boolean pageview, String path) {
    }

    record Visit(String host, List<Row> rows) {
        String entry() {
            return rows.stream().filter(Row::pageview).map(Row::path).findFirst().orElse(null);
        }

        String exit() {
            String last = null;
            for (Row r : rows) {
                if (r.pageview()) {
                    last = r.path();
                }
            }
            return last;
        }

        boolean bounce() {
            return rows.stream().filter(Row::pageview).count() <= 1 && rows.stream().allMatch(Row::pageview);
        }

        long start() {
            return rows.get(0).ts();
        }
    }

    final List<Visit> visits = new ArrayList<>();

    NasaSegments(Path tsv) throws IOException {
        Map<String, List<Row>> byHost = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(tsv)), StandardCharsets.UTF_8))) {
            in.readLine();
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split("\t", -1);
                String url = f[4];
                int cut = url.length();
                for (char c : new char[] {'?', '#'}) {
                    int i = url.indexOf(c);
                    if (i >= 0 && i < cut) {
                        cut = i;
                    }
                }
                byHost.computeIfAbsent(f[0], h -> new ArrayList<>())
                        .add(new Row(f[0], Long.parseLong(f[2]) * 1000, !"POST".equals(f[3]), url.substring(0, cut)));
            }
        }
        for (List<Row> rows : byHost.values()) {
            rows.sort((a, b) -> Long.compare(a.ts(), b.ts()));
            List<Row> current = new ArrayList<>();
            for (Row r : rows) {
                if (!current.isEmpty() && r.ts() - current.get(current.size() - 1).ts() > 30 * 60_000L) {
                    visits.add(new Visit(r.host(), current));
                    current = new ArrayList<>();
                }
                current.add(r);
            }
            visits.add(new Visit(rows.get(0).host(), current));
        }
    }

    /** The most frequent value, ties broken by value. */
    static String mostFrequent(Map<String, Long> counts) {
        return counts.entrySet().stream().sorted((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey())
                : Long.compare(b.getValue(), a.getValue())).findFirst().orElseThrow().getKey();
    }

    Map<String, Long> entryPages() {
        Map<String, Long> m = new HashMap<>();
        visits.forEach(v -> m.merge(String.valueOf(v.entry()), 1L, Long::sum));
        return m;
    }

    Map<String, Long> pageviewsByPage() {
        Map<String, Long> m = new HashMap<>();
        visits.forEach(v -> v.rows().stream().filter(Row::pageview).forEach(r -> m.merge(r.path(), 1L, Long::sum)));
        return m;
    }

    /** Pages of the visits that entered on {@code entry}: pageviews and visitors per page. */
    Map<String, List<Double>> pagesOfVisitsEnteringOn(String entry) {
        Map<String, long[]> pv = new HashMap<>();
        Map<String, Set<String>> who = new HashMap<>();
        for (Visit v : visits) {
            if (entry.equals(v.entry())) {
                for (Row r : v.rows()) {
                    pv.computeIfAbsent(r.path(), p -> new long[1])[0] += r.pageview() ? 1 : 0;
                    who.computeIfAbsent(r.path(), p -> new HashSet<>()).add(r.host());
                }
            }
        }
        Map<String, List<Double>> out = new HashMap<>();
        pv.forEach((p, c) -> out.put(p, List.of((double) c[0], (double) who.get(p).size())));
        return out;
    }

    /** Visits holding an event on {@code page}, by entry page: visits and bounce rate. */
    Map<String, List<Double>> entriesOfVisitsSeeing(String page) {
        Map<String, long[]> m = new HashMap<>();
        for (Visit v : visits) {
            if (v.entry() != null && v.rows().stream().anyMatch(r -> r.path().equals(page))) {
                long[] c = m.computeIfAbsent(v.entry(), e -> new long[2]);
                c[0]++;
                c[1] += v.bounce() ? 1 : 0;
            }
        }
        Map<String, List<Double>> out = new HashMap<>();
        m.forEach((e, c) -> out.put(e, List.of((double) c[0], 100.0 * c[1] / c[0])));
        return out;
    }

    /** Events, visitors and visits of the events whose path matches. */
    List<Double> matching(Pattern path) {
        Predicate<Row> sel = r -> path.matcher(r.path()).find();
        long events = 0;
        Set<String> who = new HashSet<>();
        long visitsWith = 0;
        for (Visit v : visits) {
            boolean any = false;
            for (Row r : v.rows()) {
                if (sel.test(r)) {
                    events++;
                    who.add(r.host());
                    any = true;
                }
            }
            visitsWith += any ? 1 : 0;
        }
        return List.of((double) events, (double) who.size(), (double) visitsWith);
    }

    /** Visits by exit page and UTC hour of their start. */
    Map<String, List<Double>> exitsByHour() {
        Map<String, Long> m = new HashMap<>();
        for (Visit v : visits) {
            if (v.exit() != null) {
                String hour = java.time.Instant.ofEpochMilli(v.start()).truncatedTo(java.time.temporal.ChronoUnit.HOURS).toString();
                m.merge(v.exit() + "," + hour, 1L, Long::sum);
            }
        }
        Map<String, List<Double>> out = new HashMap<>();
        m.forEach((k, c) -> out.put(k, List.of((double) c)));
        return out;
    }

    /**
     * A segment's totals by metrics.md: events, page views, visitors, visits and bounce rate of
     * the visits {@code visit} selects and the events {@code event} selects (a visit counts when
     * it holds a selected event anywhere), with a time filter {@code hour} on the UTC hour of day:
     * events by their time, visits by their start.
     */
    List<Double> segment(Predicate<Visit> visit, Predicate<Row> event, java.util.function.IntPredicate hour) {
        long events = 0;
        long pageviews = 0;
        Set<String> who = new HashSet<>();
        long visitsCounted = 0;
        long bounces = 0;
        for (Visit v : visits) {
            if (!visit.test(v) || v.rows().stream().noneMatch(event)) {
                continue;
            }
            for (Row r : v.rows()) {
                if (event.test(r) && hour.test(hourOf(r.ts()))) {
                    events++;
                    pageviews += r.pageview() ? 1 : 0;
                    who.add(r.host());
                }
            }
            if (hour.test(hourOf(v.start()))) {
                visitsCounted++;
                bounces += v.bounce() ? 1 : 0;
            }
        }
        return List.of((double) events, (double) pageviews, (double) who.size(), (double) visitsCounted,
                visitsCounted == 0 ? 0.0 : 100.0 * bounces / visitsCounted);
    }

    private static int hourOf(long ms) {
        return (int) Math.floorMod(Math.floorDiv(ms, 3_600_000L), 24L);
    }
}
