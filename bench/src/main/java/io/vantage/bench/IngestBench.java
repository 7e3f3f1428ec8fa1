package io.vantage.bench;

import io.vantage.collector.CollectorConfig;
import io.vantage.collector.KafkaEventSink;
import io.vantage.model.Event;
import io.vantage.model.EventType;
import io.vantage.model.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sections 1 and 2: the collector's HTTP path against the bare server stack (wrk, same script,
 * after a warm-up), and its produce path against a raw producer with the same settings.
 */
final class IngestBench {
    private final BenchMain.Options o;
    private final BenchTable table;

    private final boolean http;
    private final boolean kafka;

    IngestBench(BenchMain.Options o, BenchTable table, boolean http, boolean kafka) {
        this.o = o;
        this.table = table;
        this.http = http;
        this.kafka = kafka;
    }

    void run() throws Exception {
        try (Cluster cluster = Cluster.start(o.work().resolve("ingest"))) {
            if (http) {
                http(cluster);
            }
            if (kafka) {
                kafka(cluster);
            }
        }
    }

    private void http(Cluster cluster) throws Exception {
        Wrk.ensureInstalled();
        int barePort = Cluster.freePort();
        try (Child bare = Child.start("bare-server", BenchMain.class.getName(), List.of("bare-server", String.valueOf(barePort)),
                java.util.Map.of(), cluster.dir(), "bare server ready", Duration.ofSeconds(60))) {
            Api collector = cluster.collector();
            collector.createSite("bench");
            Wrk wrk = new Wrk(cluster.dir());
            String bareUrl = "http://127.0.0.1:" + barePort;
            int c = o.connections();
            // The JIT halves early figures: every server and script is warmed before anything is measured.
            wrk.run(bareUrl, wrk.script("/bare-servlet", 1, true), o.warmupSeconds() / 2, c);
            for (int batch : new int[] {1, 20}) {
                wrk.run(bareUrl, wrk.script("/bare", batch, true), o.warmupSeconds(), c);
                wrk.run(collector.base(), wrk.script("/collect", batch, true), o.warmupSeconds(), c);
            }
            for (int batch : new int[] {1, 20}) {
                Wrk.Result ceiling = wrk.run(bareUrl, wrk.script("/bare", batch, true), o.seconds(), c);
                // Is the generator the limit? The warm bare server with one fixed body shows what wrk reaches without the script's work.
                Wrk.Result fixed = batch == 1 ? wrk.run(bareUrl, wrk.script("/bare", 1, false), o.seconds(), c) : null;
                // The same bare answer on a Javalin route (the servlet): what /collect was served by until it became a direct route.
                Wrk.Result servlet = batch == 1 ? wrk.run(bareUrl, wrk.script("/bare-servlet", 1, true), o.seconds(), c) : null;
                ProduceLatency.Buckets before = batch == 1 ? ProduceLatency.scrape(collector) : null;
                Wrk.Result col = wrk.run(collector.base(), wrk.script("/collect", batch, true), o.seconds(), c);
                // How much of a beacon's latency is Kafka's acknowledgement (the collector's own timer over the same run):
                // a closed-loop client with c connections gets at most c / latency requests/s (Little's law).
                ProduceLatency.Buckets acks = batch == 1 ? ProduceLatency.scrape(collector).minus(before) : null;
                String what = "POST /collect, " + batch + (batch == 1 ? " event" : " events") + "/request";
                if (batch == 1) {
                    table.rate("http", "bare endpoint, fresh bodies vs one fixed body (generator check)", ceiling.requestsPerSecond(),
                            "req/s", "fixed body", fixed.requestsPerSecond(), 0);
                    table.rate("http", "bare endpoint on a Javalin (servlet) route, for comparison", servlet.requestsPerSecond(), "req/s",
                            "bare direct route", ceiling.requestsPerSecond(), 0);
                }
                table.rate("http", what + ", requests/s", col.requestsPerSecond(), "req/s", "bare", ceiling.requestsPerSecond(),
                        batch == 1 ? 0.70 : 0);
                if (batch == 20) {
                    table.rate("http", what + ", events/s", col.requestsPerSecond() * batch, "ev/s", "bare",
                            ceiling.requestsPerSecond() * batch, 0);
                    table.add(new BenchTable.Row("http", what + ", events/s (absolute target)",
                            BenchTable.num(col.requestsPerSecond() * batch) + " ev/s", "", "", "≥ 100,000 ev/s",
                            col.requestsPerSecond() * batch >= 100_000 ? "ok" : "SHORT"));
                }
                table.latency("http", what + ", p50", col.p50Ms(), "bare p50", ceiling.p50Ms(), 0);
                table.latency("http", what + ", p99", col.p99Ms(), "bare p99", ceiling.p99Ms(), batch == 1 ? 2.0 : 0);
                if (batch == 1) {
                    table.latency("http", what + ": Kafka's acknowledgement within it, p50 (histogram bucket bound)",
                            acks.quantileMs(0.5), "/collect p50", col.p50Ms(), 0);
                }
                if (col.errors() > 0) {
                    table.note(what + ": " + col.errors() + " of " + col.requests() + " requests failed (not 2xx or socket errors)");
                }
            }
            // The acknowledgement unloaded: one connection, one request at a time, against the bare route the same way.
            int alone = Math.max(2, o.seconds() / 4);
            Wrk.Result bareAlone = wrk.run(bareUrl, wrk.script("/bare", 1, true), alone, 1);
            Wrk.Result colAlone = wrk.run(collector.base(), wrk.script("/collect", 1, true), alone, 1);
            table.latency("http", "POST /collect, 1 event/request, 1 connection (nothing else running), p50", colAlone.p50Ms(),
                    "bare p50", bareAlone.p50Ms(), 0);
            table.note("http: at " + c + " connections wrk waits for each answer before the next request, so a route answering after"
                    + " Kafka's acknowledgement is held to about " + c + " / its latency (Little's law); see docs/benchmarks.md, tenth session");
            table.note("http: wrk -t2 -c" + c + ", " + o.warmupSeconds() + " s warm-up of each server and script, then " + o.seconds()
                    + " s per figure; bare server and collector are separate JVMs on the same Javalin config, the bare endpoint a direct route"
                    + " (Jetty's asynchronous API ahead of the servlet) as POST /collect is; 202 after acks=all");
        }
    }

    private void kafka(Cluster cluster) throws Exception {
        int n = o.quick() ? 200_000 : 1_000_000;
        Duration timeout = CollectorConfig.DEFAULT_PRODUCE_TIMEOUT;
        List<Event> events = new ArrayList<>(n);
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            events.add(Event.builder().site("bench").type(EventType.PAGEVIEW).ts(now).visitorId("v" + (i % 5000))
                    .eventId("k-" + i).url("https://bench.example/p" + (i % 50)).receivedAt(now).ingest(Event.Ingest.LIVE).build());
        }
        // Raw and sink runs alternate, twice each, and each side keeps its best: a broker that is still
        // settling after the HTTP section (or a cold JIT) must not decide which side looks faster.
        double raw = 0;
        double sinkRate = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaEventSink.producerProperties(cluster.bootstrap(), timeout),
                new StringSerializer(), new ByteArraySerializer());
             KafkaEventSink sink = new KafkaEventSink(cluster.bootstrap(), timeout)) {
            List<ProducerRecord<String, byte[]>> records = new ArrayList<>(n);
            for (Event e : events) {
                records.add(new ProducerRecord<>(Topics.EVENTS, null, e.receivedAt(), e.key(),
                        Topics.EVENT_SERDE.serializer().serialize(Topics.EVENTS, e)));
            }
            rawSend(producer, records.subList(0, n / 4));
            sinkSend(sink, events.subList(0, n / 4));
            for (int round = 0; round < 2; round++) {
                raw = Math.max(raw, rawSend(producer, records));
                sinkRate = Math.max(sinkRate, sinkSend(sink, events));
            }
        }
        table.rate("kafka", "collector produce path (KafkaEventSink, 1 event per send)", sinkRate, "ev/s",
                "raw producer", raw, 0);
        table.note("kafka: " + String.format("%,d", n) + " events of " + Topics.EVENT_SERDE.serializer().serialize(Topics.EVENTS, events.get(0)).length
                + " bytes, same producer settings (acks=all, idempotent, lz4, no linger, 1 request in flight); at most 10,000 sends in flight; best of two alternating runs each");
    }

    /** Sends every record with at most 10,000 unacknowledged, as many concurrent requests would; events/s until the last ack. */
    private static double rawSend(KafkaProducer<String, byte[]> producer, List<ProducerRecord<String, byte[]>> records) throws Exception {
        Semaphore inFlight = new Semaphore(10_000);
        long t0 = System.nanoTime();
        for (ProducerRecord<String, byte[]> r : records) {
            inFlight.acquire();
            producer.send(r, (m, e) -> inFlight.release());
        }
        inFlight.acquire(10_000);
        return records.size() / ((System.nanoTime() - t0) / 1e9);
    }

    private static double sinkSend(KafkaEventSink sink, List<Event> events) throws Exception {
        Semaphore inFlight = new Semaphore(10_000);
        long t0 = System.nanoTime();
        for (Event e : events) {
            inFlight.acquire();
            CompletableFuture<Void> ack = sink.send(List.of(e));
            ack.whenComplete((v, err) -> inFlight.release());
        }
        if (!inFlight.tryAcquire(10_000, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the sink did not acknowledge every event within 60 s");
        }
        return events.size() / ((System.nanoTime() - t0) / 1e9);
    }
}
