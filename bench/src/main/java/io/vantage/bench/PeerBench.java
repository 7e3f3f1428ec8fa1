package io.vantage.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vantage.launcher.LogImport;
import io.vantage.model.Json;
import io.vantage.collector.client.Bots;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Section 7: GoAccess (Debian's {@code goaccess}) against {@code bin/vantage import} until the
 * processor has counted everything, on the Elastic log and on a replay of it, end to end; and
 * unique visitors per day of both, GoAccess fed the same log without the lines our bot filter
 * (the isbot list) drops, so that both treat bots alike.
 */
final class PeerBench {
    private static final Pattern UA = Pattern.compile("\"([^\"]*)\"\\s*$");
    private static final DateTimeFormatter GOACCESS_DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter CLF_DAY = DateTimeFormatter.ofPattern("dd/MMM/yyyy", java.util.Locale.ENGLISH);
    private final BenchMain.Options o;
    private final BenchTable table;
    private final Datasets data;

    PeerBench(BenchMain.Options o, BenchTable table, Datasets data) {
        this.o = o;
        this.table = table;
        this.data = data;
    }

    void run(Cluster cluster, Api collector, Api processor) throws Exception {
        if (!DebianPackages.installIfMissing("goaccess")) {
            table.missing("peer", "GoAccess vs bin/vantage import", "goaccess is not installed and could not be installed");
            return;
        }
        processor.awaitCaughtUp(Duration.ofMinutes(o.quick() ? 1 : 30));
        Path dir = cluster.dir().resolve("peer");
        Files.createDirectories(dir);
        Path elastic = dir.resolve("elastic.log");
        data.elasticReplay(1, elastic);
        compare(cluster, collector, processor, "elastic", elastic, "2015-05-17", "2015-05-20");
        int copies = o.peerCopies();
        long lines = 10_000;
        if (copies > 1) {
            Path replay = dir.resolve("replay.log");
            lines = data.elasticReplay(copies, replay);
            compare(cluster, collector, processor, "replay", replay, "2015-05-17",
                    LocalDate.parse("2015-05-20").plusDays(4L * (copies - 1)).toString());
            Files.deleteIfExists(replay);
        }
        table.note(String.format("peer: replay = %d copies of the Elastic log (%,d lines; --quick skips it), copy k shifted by 4k days"
                + " with client addresses k+1.0.x.y; GoAccess %s reads the uncompressed file (--log-format=COMBINED --max-items=100000, JSON report);"
                + " Vantage time is bin/vantage import (a separate process, through the collector) until /api/status is caught up;"
                + " GoAccess's visitors are fed the lines the isbot list keeps", copies, lines, version()));
    }

    private void compare(Cluster cluster, Api collector, Api processor, String site, Path log, String from, String to) throws Exception {
        collector.createSite(site);
        long lines;
        try (var s = Files.lines(log)) {
            lines = s.count();
        }
        Path report = log.resolveSibling(site + "-goaccess.json");
        long t0 = System.nanoTime();
        goaccess(log, report);
        double goSeconds = (System.nanoTime() - t0) / 1e9;

        t0 = System.nanoTime();
        try (Child imp = Child.vantage("import-" + site, "import", List.of("--site", site, "--format", "combined", "--url",
                collector.base(), "--token", Cluster.TOKEN, log.toString()), cluster.env(Map.of()), cluster.dir(), null)) {
            if (imp.await(Duration.ofMinutes(30)) != 0) {
                throw new IllegalStateException("bin/vantage import failed; see " + imp.log());
            }
        }
        boolean counted = processor.awaitCaughtUp(Duration.ofMinutes(o.quick() ? 2 : 30));
        double vantageSeconds = (System.nanoTime() - t0) / 1e9;
        table.rate("peer", site + ": bin/vantage import until queryable, lines/s", lines / vantageSeconds, "lines/s",
                "GoAccess", lines / goSeconds, 0);
        if (!counted) {
            table.note("peer, " + site + ": the processor had not counted every event when the wait ended");
        }

        Path humans = log.resolveSibling(site + "-humans.log");
        Bots bots = Bots.fromBundledPatterns();
        // The definition GoAccess documents, computed here independently: distinct (IP, day, User-Agent) of the human lines.
        Map<String, java.util.Set<String>> exactSets = new TreeMap<>();
        try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.UTF_8);
             BufferedWriter out = Files.newBufferedWriter(humans, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                Matcher m = UA.matcher(line);
                String ua = m.find() ? m.group(1) : null;
                if (ua == null || !bots.isBot(ua)) {
                    out.write(line);
                    out.write('\n');
                    int lb = line.indexOf('[');
                    // Lines that are not Combined Log Format (the Elastic log's line 8,899 never closes its quote) are not visitors.
                    boolean valid = LogImport.toEvent(line, LogImport.Format.COMBINED, site, "check", 0).isPresent();
                    if (valid && lb > 0 && line.length() > lb + 12) {
                        String day = LocalDate.parse(line.substring(lb + 1, lb + 12), CLF_DAY).toString();
                        exactSets.computeIfAbsent(day, d -> new java.util.HashSet<>())
                                .add(line.substring(0, line.indexOf(' ')) + '|' + (ua == null ? "" : ua));
                    }
                }
            }
        }
        Path humansReport = log.resolveSibling(site + "-humans-goaccess.json");
        goaccess(humans, humansReport);
        Map<String, Long> go = goaccessVisitorsPerDay(humansReport);
        Map<String, Long> ours = vantageVisitorsPerDay(processor, site, from, to);
        Map<String, Long> exact = new TreeMap<>();
        exactSets.forEach((day, set) -> exact.put(day, (long) set.size()));
        java.util.Set<String> exactDayKeys = union(exact, ours);
        int exactAgree = 0;
        for (String day : exactDayKeys) {
            exactAgree += exact.getOrDefault(day, 0L).equals(ours.getOrDefault(day, 0L)) ? 1 : 0;
        }
        int exactDays = exactDayKeys.size();
        table.add(new BenchTable.Row("peer", site + ": days whose Vantage visitors equal distinct (IP, day, UA) of the human lines",
                exactAgree + " of " + exactDays, "", "", "all", exactAgree == exactDays ? "ok" : "SHORT"));
        int days = 0;
        int agree = 0;
        long goTotal = 0;
        long ourTotal = 0;
        StringBuilder diff = new StringBuilder();
        for (String day : new java.util.TreeSet<>(union(go, ours))) {
            long g = go.getOrDefault(day, 0L);
            long v = ours.getOrDefault(day, 0L);
            days++;
            goTotal += g;
            ourTotal += v;
            if (g == v) {
                agree++;
            } else if (diff.length() < 300) {
                diff.append(' ').append(day).append(": GoAccess ").append(g).append(", Vantage ").append(v).append(';');
            }
        }
        table.size("peer", site + ": unique visitors, sum over days (Vantage vs GoAccess, bots alike)", ourTotal, "visitors",
                "GoAccess", goTotal, 0);
        table.add(new BenchTable.Row("peer", site + ": days whose unique visitors equal GoAccess's", agree + " of " + days, "", "",
                "", ""));
        if (diff.length() > 0) {
            table.note("peer, " + site + ": days that differ:" + diff);
        }
        Files.deleteIfExists(humans);
    }

    private static <T> java.util.Set<T> union(Map<T, ?> a, Map<T, ?> b) {
        java.util.Set<T> s = new java.util.HashSet<>(a.keySet());
        s.addAll(b.keySet());
        return s;
    }

    private static String version() throws Exception {
        Process p = new ProcessBuilder("goaccess", "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().findFirst().orElse("?").replace("GoAccess - ", "").trim();
    }

    private static void goaccess(Path log, Path report) throws Exception {
        Process p = new ProcessBuilder("goaccess", log.toString(), "--log-format=COMBINED", "--no-global-config",
                        "--max-items=100000", "-o", report.toString())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("goaccess failed: " + out);
        }
    }

    /** GoAccess's unique visitors per day (its {@code visitors} panel). */
    static Map<String, Long> goaccessVisitorsPerDay(Path report) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        // GoAccess copies the log's bytes into its JSON as they are, not always valid UTF-8.
        String json = Files.readString(report, StandardCharsets.ISO_8859_1);
        for (JsonNode d : Json.MAPPER.readTree(json).path("visitors").path("data")) {
            LocalDate day = LocalDate.parse(d.path("data").asText(), GOACCESS_DAY);
            out.put(day.toString(), d.path("visitors").path("count").asLong());
        }
        return out;
    }

    private static Map<String, Long> vantageVisitorsPerDay(Api processor, String site, String from, String to) throws Exception {
        JsonNode r = processor.ok("POST", "/api/v2/query", "{\"site_id\":\"" + site + "\",\"metrics\":[\"visitors\"],"
                + "\"dimensions\":[\"time:day\"],\"date_range\":[\"" + from + "\",\"" + to + "\"],\"pagination\":{\"limit\":10000}}");
        Map<String, Long> out = new TreeMap<>();
        for (JsonNode row : r.path("results")) {
            long v = row.path("metrics").path(0).asLong();
            if (v > 0) {
                out.put(row.path("dimensions").path(0).asText().substring(0, 10), v);
            }
        }
        return out;
    }
}
