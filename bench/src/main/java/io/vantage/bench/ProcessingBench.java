package io.vantage.bench;

import io.vantage.launcher.StreamsSettings;
import io.vantage.model.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Section 3 (processing) and 6 (footprint): the full topology against a pass-through Streams app
 * on the same pre-loaded topic, for time-ordered and shuffled input, with 1 and 2 stream threads
 * and 1 and 2 processor instances; each case on a fresh broker. After the first case the
 * processor's changelog bytes, store bytes, Kafka disk, heap and RSS are measured.
 */
final class ProcessingBench {
    private final BenchMain.Options o;
    private final BenchTable table;
    private final Datasets data;

    ProcessingBench(BenchMain.Options o, BenchTable table, Datasets data) {
        this.o = o;
        this.table = table;
        this.data = data;
    }

    /** One processing case: input order, stream threads per instance, instances. */
    record Case(boolean shuffled, int threads, int instances) {
        String label() {
            return (shuffled ? "shuffled within days" : "time-ordered") + ", " + threads + (threads == 1 ? " thread" : " threads")
                    + ", " + instances + (instances == 1 ? " instance" : " instances");
        }
    }

    void run() throws Exception {
        List<Datasets.NasaRow> rows = data.nasa();
        // The same 21 days for --quick (which runs only the first two cases): the rate is timed
        // between commits (2 s apart), so the processor must still be at work several commits in.
        // At 97,000 events/s it counted the 6 days (185,814 events) --quick replayed before inside
        // its first commit, and the rate read 13% of a cold ceiling.
        int days = 21;
        List<Case> cases = new ArrayList<>(List.of(new Case(false, 1, 1), new Case(true, 1, 1)));
        if (!o.quick()) {
            cases.addAll(List.of(new Case(false, 2, 1), new Case(false, 1, 2), new Case(true, 2, 1), new Case(true, 1, 2)));
        }
        Map<Boolean, Rates> single = new java.util.HashMap<>();
        for (Case c : cases) {
            List<List<String>> replay = Datasets.nasaReplay(rows, days, Datasets.NASA_DAY, c.shuffled(), "n");
            Rates rates = runCase(c, replay, c.equals(cases.get(0)));
            if (c.threads() == 1 && c.instances() == 1) {
                single.put(c.shuffled(), rates);
            } else {
                Rates base = single.getOrDefault(c.shuffled(), new Rates(Double.NaN, Double.NaN));
                table.rate("processing", "scaling: " + c.label() + " vs 1 thread, 1 instance", rates.full(), "ev/s",
                        "1 thread, 1 instance", base.full(), 1.0);
                // What this machine gives a second thread or instance at all: the pass-through's own
                // gain, measured the same way (no target; the line above is judged, this is context).
                table.rate("processing", "scaling of the pass-through itself: " + c.label() + " vs 1 thread, 1 instance",
                        rates.passThrough(), "ev/s", "1 thread, 1 instance", base.passThrough(), 0);
            }
        }
        table.note("processing: the NASA day replayed over " + days + " days (" + String.format("%,d", (long) days * rows.size())
                + " events, a third of the hosts returning each day) pre-loaded on " + Topics.IMPORTS + " (" + BenchMain.PARTITIONS
                + " partitions); the topology's rate from its committed offsets, from the first commit to the last (start-up excluded);"
                + " the pass-through's from its output's end offsets polled every 20 ms, from the first record out to the last; each run"
                + " capped at " + o.processingCapSeconds() + " s; exactly_once_v2 for both");
    }

    /** A case's events/s: the full topology's and the pass-through's. */
    private record Rates(double full, double passThrough) {
    }

    private Rates runCase(Case c, List<List<String>> replay, boolean footprint) throws Exception {
        System.out.println("processing: " + c.label());
        try (Cluster cluster = Cluster.start(o.work().resolve("processing"))) {
            long total = 0;
            try (Loader loader = new Loader(cluster.bootstrap())) {
                loader.site("nasa");
                for (List<String> day : replay) {
                    total += loader.load("nasa", day);
                }
            }
            cluster.admin().createTopics(List.of(new NewTopic(PassThrough.OUTPUT, Optional.of(BenchMain.PARTITIONS), Optional.empty())))
                    .all().get(30, TimeUnit.SECONDS);
            Duration cap = Duration.ofSeconds(o.processingCapSeconds());
            List<Child> pass = new ArrayList<>();
            Offsets.Progress ceiling;
            long passRss = 0;
            long passHeap = 0;
            try {
                for (int i = 0; i < c.instances(); i++) {
                    pass.add(Child.start("passthrough-" + i, BenchMain.class.getName(), List.of("passthrough", cluster.bootstrap(),
                            String.valueOf(c.threads()), cluster.dir().resolve("passthrough-" + i).toString()), Map.of(), cluster.dir(), null,
                            Duration.ZERO));
                }
                ceiling = Offsets.watchOutput(cluster.admin(), PassThrough.OUTPUT, total, cap);
                passRss = pass.get(0).rssBytes();
                passHeap = footprint ? pass.get(0).heapUsedAfterGc() : 0;
            } finally {
                pass.forEach(Child::close);
            }
            List<Cluster.Node> nodes = new ArrayList<>();
            for (int i = 0; i < c.instances(); i++) {
                nodes.add(cluster.processor(c.threads()));
            }
            Offsets.Progress run = Offsets.watch(cluster.admin(), StreamsSettings.PROCESSOR_APPLICATION_ID, total, cap);
            double minShare = c.threads() == 1 && c.instances() == 1 ? (c.shuffled() ? 0.20 : 0.40) : 0;
            table.rate("processing", "full topology, " + c.label(), run.eventsPerSecond(), "ev/s", "pass-through",
                    ceiling.eventsPerSecond(), minShare);
            // Whether this machine had CPU to spare: what a second thread or instance can gain is at most what stood idle.
            table.busy("processing", "CPU busy while timed (every process, broker included): full topology, " + c.label(),
                    run.busyShare(), "pass-through", ceiling.busyShare());
            if (!run.drained()) {
                table.note("processing, " + c.label() + ": " + String.format("%,d of %,d", run.processed(), total)
                        + " events processed when the " + o.processingCapSeconds() + " s cap ended the run");
            }
            if (footprint) {
                nodes.get(0).awaitReady();
                footprint(cluster, nodes.get(0), run, total, passRss, passHeap);
            }
            return new Rates(run.eventsPerSecond(), ceiling.eventsPerSecond());
        }
    }

    private void footprint(Cluster cluster, Cluster.Node node, Offsets.Progress run, long total, long passRss, long passHeap) throws Exception {
        String s = "footprint";
        long processed = run.processed();
        double rawValue = averageRecordBytes(cluster);
        long changelog = 0;
        long inputTopic = 0;
        int brokerId = cluster.admin().describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id();
        var dirs = cluster.admin().describeLogDirs(List.of(brokerId)).allDescriptions().get(30, TimeUnit.SECONDS).get(brokerId);
        for (var dir : dirs.values()) {
            for (Map.Entry<TopicPartition, ReplicaInfo> e : dir.replicaInfos().entrySet()) {
                String topic = e.getKey().topic();
                if (topic.startsWith(StreamsSettings.PROCESSOR_APPLICATION_ID + "-") && topic.endsWith("-changelog")) {
                    changelog += e.getValue().size();
                } else if (topic.equals(Topics.IMPORTS)) {
                    inputTopic += e.getValue().size();
                }
            }
        }
        table.size(s, "changelog bytes written per input event", changelog / (double) processed, "B", "raw event (key + value)", rawValue, 1.0);
        long stores = Cluster.diskUsage(node.dataDir().resolve("streams"));
        table.size(s, "state-store disk per million events", stores * 1e6 / processed, "B", "raw events", rawValue * 1e6, 0);
        long disk = Cluster.diskUsage(cluster.brokerDir());
        table.size(s, "Kafka disk per million events (all topics)", disk * 1e6 / processed, "B", "input topic",
                inputTopic * 1e6 / (double) total, 0);
        long visitors = node.api().ok("POST", "/api/v2/query", "{\"site_id\":\"nasa\",\"metrics\":[\"visitors\"],"
                + "\"date_range\":[\"1995-07-01\",\"1995-09-30\"]}").path("results").path(0).path("metrics").path(0).asLong();
        long rss = node.child().rssBytes();
        long heap = node.child().heapUsedAfterGc();
        table.size(s, "processor RSS", rss, "B", "pass-through RSS", passRss, 0);
        table.size(s, "processor RSS above pass-through, per million events", (rss - passRss) * 1e6 / processed, "B",
                "raw events", rawValue * 1e6, 0);
        table.size(s, "processor RSS above pass-through, per 100,000 visitors", visitors > 0 ? (rss - passRss) * 1e5 / visitors : Double.NaN,
                "B", "pass-through RSS", passRss, 0);
        table.size(s, "processor heap after GC", heap, "B", "pass-through heap", passHeap, 0);
        table.size(s, "processor heap above pass-through, per million events", (heap - passHeap) * 1e6 / processed, "B",
                "raw events", rawValue * 1e6, 0);
        table.size(s, "processor heap above pass-through, per 100,000 visitors", visitors > 0 ? (heap - passHeap) * 1e5 / visitors : Double.NaN,
                "B", "pass-through heap", passHeap, 0);
        table.note(String.format("footprint: after %,d events (%,d visitors) counted by one processor with one thread; RSS %,d MB,"
                + " heap after GC %,d MB; JVM options %s", processed, visitors, rss >> 20, heap >> 20,
                System.getenv().getOrDefault("VANTAGE_JAVA_OPTS", Child.DEFAULT_JAVA_OPTS)));
    }

    /** The average key + value bytes of the input records (the raw event as the collector wrote it), from a sample. */
    private static double averageRecordBytes(Cluster cluster) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", cluster.bootstrap()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (int p = 0; p < BenchMain.PARTITIONS; p++) {
                parts.add(new TopicPartition(Topics.IMPORTS, p));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long bytes = 0;
            long n = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (n < 20_000 && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    bytes += r.serializedKeySize() + r.serializedValueSize();
                    n++;
                }
            }
            return n == 0 ? Double.NaN : bytes / (double) n;
        }
    }
}
