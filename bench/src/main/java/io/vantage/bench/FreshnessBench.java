package io.vantage.bench;

import io.vantage.model.Topics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Section 4: how long after the collector's 202 an event is visible in {@code POST /api/v2/query},
 * while a steady load flows through the collector; against the floor of a plain Kafka consumer
 * tailing {@code vantage.events} (when the broker hands the same event out).
 */
final class FreshnessBench {
    private final BenchMain.Options o;
    private final BenchTable table;

    FreshnessBench(BenchMain.Options o, BenchTable table) {
        this.o = o;
        this.table = table;
    }

    void run(Api collector, Api processor, String bootstrap) throws Exception {
        collector.createSite("fresh");
        // Start-up (internal topics, the first rebalance) is not freshness: wait until one event is seen.
        long t0 = System.nanoTime();
        String ready = "/probe/ready-" + System.nanoTime();
        HttpResponse<Void> r = Api.HTTP.send(request(collector, "{\"site\":\"fresh\",\"type\":\"pageview\",\"url\":\"https://fresh.example"
                + ready + "\",\"visitor_id\":\"ready\",\"event_id\":\"" + ready + "\"}"), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 202 || !awaitVisible(processor, ready, System.nanoTime() + 120_000_000_000L, new Histogram(60_000_000L, 3))) {
            throw new IllegalStateException("the processor did not count a first event within 120 s");
        }
        table.note(String.format("freshness: the processor counted a first event %.1f s after it was sent (start-up, not measured)",
                (System.nanoTime() - t0) / 1e9));
        if (!o.quick() && o.freshnessRate() > 500) {
            // A light load first: the latency of the path itself, apart from whether the engine keeps up with the target rate.
            run(collector, processor, bootstrap, 500);
        }
        run(collector, processor, bootstrap, o.freshnessRate());
    }

    private void run(Api collector, Api processor, String bootstrap, int rate) throws Exception {
        int batch = 20;
        long periodMicros = 1_000_000L * batch / rate;
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Map<String, Long> seenByConsumer = new ConcurrentHashMap<>();
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        KafkaConsumer<byte[], byte[]> consumer = tailer(bootstrap);
        java.util.concurrent.atomic.AtomicReference<RuntimeException> tailFailure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread tail = new Thread(() -> tail(consumer, seenByConsumer, tailFailure), "tail");
        tail.setDaemon(true);
        tail.start();
        Histogram query = new Histogram(60_000_000L, 3);
        Histogram took = new Histogram(60_000_000L, 3);
        Histogram floor = new Histogram(60_000_000L, 3);
        long seq = System.currentTimeMillis();
        long loadStart = System.nanoTime();
        load.scheduleAtFixedRate(() -> {
            StringBuilder body = new StringBuilder("[");
            long n = sent.getAndAdd(batch);
            for (int i = 0; i < batch; i++) {
                body.append(i == 0 ? "" : ",").append("{\"site\":\"fresh\",\"type\":\"pageview\",\"url\":\"https://fresh.example/l")
                        .append((n + i) % 40).append("\",\"visitor_id\":\"lv").append((n + i) % 20_000).append("\",\"event_id\":\"l-")
                        .append(seq).append('-').append(n + i).append("\"}");
            }
            Api.HTTP.sendAsync(request(collector, body.append(']').toString()), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((r, e) -> {
                        if (e != null || r.statusCode() != 202) {
                            failed.addAndGet(batch);
                        }
                    });
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        Map<String, Long> sentAt = new java.util.HashMap<>();
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(o.freshnessSeconds()).toNanos();
        int probes = 0;
        int lost = 0;
        try {
            Thread.sleep(2_000);
            while (System.nanoTime() < end) {
                long slot = System.nanoTime() + 250_000_000L;
                String page = "/probe/" + seq + "-" + probes++;
                String id = "probe-" + seq + "-" + probes;
                long sent0 = System.nanoTime();
                HttpResponse<Void> r = Api.HTTP.send(request(collector, "{\"site\":\"fresh\",\"type\":\"pageview\",\"url\":\"https://fresh.example"
                        + page + "\",\"visitor_id\":\"probe" + probes + "\",\"event_id\":\"" + id + "\"}"), HttpResponse.BodyHandlers.discarding());
                long accepted = System.nanoTime();
                if (r.statusCode() != 202) {
                    throw new IllegalStateException("probe answered " + r.statusCode());
                }
                if (!awaitVisible(processor, page, accepted + 10_000_000_000L, took)) {
                    lost++;
                    Api.Answer status = processor.call("GET", "/api/status", null);
                    table.note("freshness: probe " + page + " not visible within 10 s; the processor's lag then: "
                            + (status.status() == 200 ? status.json().path("lag").asLong() + " events" : "status " + status.status()));
                } else {
                    query.recordValue(Math.max(1, (System.nanoTime() - accepted) / 1000));
                }
                // The floor is timed from the send: a consumer often has the event before the 202 reaches the client.
                sentAt.put(id, sent0);
                long wait = slot - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } finally {
            load.shutdownNow();
            load.awaitTermination(5, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - loadStart) / 1e9;
        Thread.sleep(1_000);
        sentAt.forEach((id, at) -> {
            Long seen = seenByConsumer.get(id);
            if (seen != null) {
                floor.recordValue(Math.max(1, (seen - at) / 1000));
            }
        });
        consumer.wakeup();
        tail.join(5_000);
        if (tailFailure.get() != null) {
            throw new IllegalStateException("the consumer that times the floor failed", tailFailure.get());
        }
        double achieved = (sent.get() - failed.get()) / seconds;
        // No consumer sample is no floor, not a floor of 0 ms.
        double floorP50 = floor.getTotalCount() == 0 ? Double.NaN : floor.getValueAtPercentile(50) / 1000.0;
        double floorP99 = floor.getTotalCount() == 0 ? Double.NaN : floor.getValueAtPercentile(99) / 1000.0;
        String s = "freshness";
        if (lost > 0) {
            table.add(new BenchTable.Row(s, "202 → visible in /api/v2/query at " + rate + " ev/s, p99", "> 10 s for " + lost + " of " + probes + " probes",
                    "consumer (from send) p99 " + BenchTable.ms(floorP99), "", "≤ 1,000 ms", "SHORT"));
        }
        if (query.getTotalCount() > 0) {
            table.latencyWithin(s, "202 → visible in /api/v2/query at " + rate + " ev/s, p50 (of the probes seen)", query.getValueAtPercentile(50) / 1000.0,
                    "consumer (from send) p50", floorP50, 1000);
            table.latencyWithin(s, "202 → visible in /api/v2/query at " + rate + " ev/s, p99 (of the probes seen)", query.getValueAtPercentile(99) / 1000.0,
                    "consumer (from send) p99", floorP99, 1000);
        }
        table.rate(s, "background load accepted (202) at " + rate + " ev/s asked", achieved, "ev/s", "asked", rate, 0.98);
        if (took.getTotalCount() > 0) {
            table.note(String.format("freshness: the probe query (a day, filtered by page) took p50 %.1f ms, p99 %.1f ms inside the server over %d polls",
                    took.getValueAtPercentile(50) / 1000.0, took.getValueAtPercentile(99) / 1000.0, took.getTotalCount()));
        }
        table.note(String.format("freshness: %d probes, one every 250 ms (or when the previous one was seen), each polled every 10 ms"
                + " until the query counts it (%d not visible within 10 s), during %.0f s of load in batches of %d through the"
                + " collector; floor: a Kafka consumer tailing %s sees the same probe", probes, lost, seconds, batch, Topics.EVENTS));
    }

    private static HttpRequest request(Api collector, String body) {
        return HttpRequest.newBuilder(URI.create(collector.base() + "/collect")).header("Content-Type", "text/plain")
                .header("User-Agent", Api.BROWSER_UA).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static boolean awaitVisible(Api processor, String page, long deadline, Histogram took) throws Exception {
        String q = "{\"site_id\":\"fresh\",\"metrics\":[\"pageviews\"],\"date_range\":\"day\",\"dimensions\":[\"event:page\"],"
                + "\"filters\":[[\"is\",\"event:page\",[\"" + page + "\"]]]}";
        while (System.nanoTime() < deadline) {
            Api.Answer a = processor.call("POST", "/api/v2/query", q);
            if (a.status() == 200) {
                took.recordValue(Math.max(1, (long) (a.json().path("meta").path("took_ms").asDouble() * 1000)));
            }
            if (a.status() == 200 && a.json().path("results").size() > 0
                    && a.json().path("results").path(0).path("metrics").path(0).asLong() > 0) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    /** A consumer at the end of every partition of the events topic (no group: no rebalance to wait for). */
    private static KafkaConsumer<byte[], byte[]> tailer(String bootstrap) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", "false"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<org.apache.kafka.common.TopicPartition> parts = consumer.partitionsFor(Topics.EVENTS).stream()
                .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position);
        return consumer;
    }

    private static void tail(KafkaConsumer<byte[], byte[]> consumer, Map<String, Long> seen,
                             java.util.concurrent.atomic.AtomicReference<RuntimeException> failure) {
        try (consumer) {
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    // Decoded as the processor decodes it (binary EventCodec records).
                    String id = io.vantage.model.codec.EventCodec.decode(r.value()).eventId();
                    if (id != null && id.startsWith("probe-")) {
                        seen.put(id, System.nanoTime());
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // stopped
        } catch (RuntimeException e) {
            failure.set(e);
        }
    }
}
