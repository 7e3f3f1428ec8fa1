package io.vantage.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/vantage bench}: starts what it measures (broker, collector, processors, a bare server,
 * a pass-through Streams app) as separate processes on this machine, and prints one table of every
 * figure next to a ceiling measured in the same run, because the machines are shared and an
 * absolute figure alone means little.
 */
@Command(name = "bin/vantage bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Every speed and memory figure of Vantage next to a ceiling measured in the same run.",
            "Sections: http, kafka, processing (with footprint), freshness, queries, peer. Needs a quiet machine."})
public final class BenchMain implements Callable<Integer> {
    /** Partitions of the event topics in every bench cluster (the product's default). */
    static final int PARTITIONS = 4;
    static final List<String> SECTIONS = List.of("http", "kafka", "processing", "freshness", "queries", "peer");

    @Option(names = "--quick", description = "smaller loads and shorter runs; finishes within about 3 minutes")
    boolean quick;
    @Option(names = "--only", split = ",", description = "only these sections (${COMPLETION-CANDIDATES})", completionCandidates = SectionNames.class)
    Set<String> only;
    @Option(names = "--data", description = "the shared data folder with the real logs (default: ../shared/data beside the checkout)")
    Path data;
    @Option(names = "--work", description = "where the bench's brokers and processors keep their data (default: a new temporary folder)")
    Path work;
    @Option(names = "--markdown", description = "also write the table as Markdown to this file")
    Path markdown;
    @Option(names = "--connections", description = "wrk connections (default ${DEFAULT-VALUE})")
    int connections = 50;
    @Option(names = "--freshness-rate", description = "events/s of background load while freshness is measured (default ${DEFAULT-VALUE})")
    int freshnessRate = 5_000;
    @Option(names = "--query-events", description = "events to load before timing queries (default: 5,000,000; --quick 20,000)")
    Long queryEvents;
    @Option(names = "--iterations", description = "timed calls per query figure (default: 200; --quick 20)")
    Integer iterations;

    /** The settings every section reads. */
    record Options(boolean quick, Path work, int connections, int warmupSeconds, int seconds, int processingCapSeconds,
                   int freshnessRate, int freshnessSeconds, long queryEvents, int queryLoadSeconds, int iterations, int peerCopies) {
    }

    static final class SectionNames extends java.util.ArrayList<String> {
        SectionNames() {
            super(SECTIONS);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("bare-server")) {
            BareServer.run(Integer.parseInt(args[1]));
            return;
        }
        if (args.length > 0 && args[0].equals("passthrough")) {
            PassThrough.run(args[1], Integer.parseInt(args[2]), Path.of(args[3]));
            return;
        }
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (only != null && !SECTIONS.containsAll(only)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--only takes " + String.join(", ", SECTIONS) + "; got " + only);
        }
        Path root = Path.of(System.getProperty("vantage.root", ".")).toAbsolutePath().normalize();
        Path dataDir = data != null ? data : root.resolve("../shared/data").normalize();
        Path workDir = work != null ? work : Files.createTempDirectory("vantage-bench-");
        Options o = quick
                ? new Options(true, workDir, connections, 4, 2, 7, freshnessRate, 8, queryEvents != null ? queryEvents : 20_000, 30, iterations != null ? iterations : 20, 1)
                : new Options(false, workDir, connections, 30, 20, 120, freshnessRate, 60, queryEvents != null ? queryEvents : 5_000_000, 600, iterations != null ? iterations : 200, 100);
        BenchTable table = new BenchTable();
        Datasets datasets = new Datasets(dataDir);
        Instant started = Instant.now();
        System.out.println("bench " + (quick ? "--quick " : "") + "on " + Runtime.getRuntime().availableProcessors() + " cores, work in " + workDir);
        if (wants("http") || wants("kafka")) {
            section("http + kafka");
            new IngestBench(o, table, wants("http"), wants("kafka")).run();
        }
        if (wants("processing")) {
            section("processing + footprint");
            new ProcessingBench(o, table, datasets).run();
        }
        if (wants("queries")) {
            section("queries");
            try (LocalMode local = LocalMode.start(workDir.resolve("local").resolve("data"))) {
                new QueryBench(o, table, datasets).run(local);
            }
        }
        if (wants("freshness") || wants("peer")) {
            try (Cluster cluster = Cluster.start(workDir.resolve("service"))) {
                Api collector = cluster.collector();
                Cluster.Node processor = cluster.processor(1).awaitReady();
                if (wants("peer")) {
                    section("peer");
                    new PeerBench(o, table, datasets).run(cluster, collector, processor.api());
                }
                if (wants("freshness")) {
                    section("freshness");
                    new FreshnessBench(o, table).run(collector, processor.api(), cluster.bootstrap());
                }
            }
        }
        Duration took = Duration.between(started, Instant.now());
        table.note(String.format("run: %s, %d min %d s, %d cores, Java %s, %s", quick ? "--quick" : "full", took.toMinutes(),
                took.toSecondsPart(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), started));
        System.out.println();
        System.out.print(table.text());
        if (markdown != null) {
            Files.writeString(markdown, table.markdown(), StandardCharsets.UTF_8);
        }
        if (work == null) {
            Cluster.deleteTree(workDir);
        }
        return 0;
    }

    private boolean wants(String section) {
        return only == null || only.contains(section);
    }

    private static void section(String name) {
        System.out.println("== " + name + " ==");
    }
}
