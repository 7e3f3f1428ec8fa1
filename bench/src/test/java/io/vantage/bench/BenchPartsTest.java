package io.vantage.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vantage.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's own parts that decide its figures: wrk's output, the ratios, and the loads made from the real logs. */
class BenchPartsTest {
    @TempDir
    Path dir;

    @Test
    void wrkFiguresComeFromTheScriptsDoneLine() {
        // Given wrk's output with the line the bench's Lua script prints when done
        String out = "Running 5s test @ http://127.0.0.1:1\n  2 threads and 50 connections\n"
                + "BENCH requests=150000 duration_us=5000000 errors=3 p50_us=1250 p99_us=7400\n";

        // When it is parsed
        Wrk.Result r = Wrk.parse(out);

        // Then rate and percentiles are those wrk measured
        assertThat(r.requestsPerSecond()).isCloseTo(30_000, within(0.01));
        assertThat(r.p50Ms()).isEqualTo(1.25);
        assertThat(r.p99Ms()).isEqualTo(7.4);
        assertThat(r.errors()).isEqualTo(3);
    }

    @Test
    void theAcknowledgementsMedianIsTheBucketHoldingHalfOfTheRunsObservations() {
        // Given two scrapes of the collector's produce timer around a run: 100 requests before it, 1,100 after
        String before = """
                # TYPE vantage_produce_latency_seconds histogram
                vantage_produce_latency_seconds_bucket{le="0.001"} 60.0
                vantage_produce_latency_seconds_bucket{le="0.002"} 90.0
                vantage_produce_latency_seconds_bucket{le="0.004"} 100.0
                vantage_produce_latency_seconds_bucket{le="+Inf"} 100.0
                vantage_produce_latency_seconds_count 100.0
                """;
        String after = """
                vantage_produce_latency_seconds_bucket{le="0.001"} 260.0
                vantage_produce_latency_seconds_bucket{le="0.002"} 740.0
                vantage_produce_latency_seconds_bucket{le="0.004"} 1090.0
                vantage_produce_latency_seconds_bucket{le="+Inf"} 1100.0
                """;

        // When the run's own distribution is taken (200 under 1 ms, 450 more under 2 ms, of 1,000)
        ProduceLatency.Buckets run = ProduceLatency.parse(after).minus(ProduceLatency.parse(before));

        // Then its median lies in the 1-2 ms bucket, its 99th percentile in the last bounded one, and the first half of it counts
        assertThat(run.quantileMs(0.5)).isEqualTo(2.0);
        assertThat(run.quantileMs(0.2)).isEqualTo(1.0);
        assertThat(run.quantileMs(0.99)).isEqualTo(4.0);
        assertThat(run.quantileMs(0.999)).isInfinite();
        assertThat(ProduceLatency.parse("").quantileMs(0.5)).as("no observations").isNaN();
    }

    @Test
    void aRateBelowItsTargetShareIsShortAndALatencyWithinItsFactorIsOk() {
        BenchTable table = new BenchTable();

        table.rate("http", "collect", 7_000, "req/s", "bare", 10_000, 0.70);
        table.rate("http", "collect batch", 6_999, "req/s", "bare", 10_000, 0.70);
        table.latency("http", "p99", 6.0, "bare p99", 3.0, 2.0);

        assertThat(table.rows()).extracting(BenchTable.Row::ratio).containsExactly("70.0%", "70.0%", "x2.00");
        assertThat(table.rows()).extracting(BenchTable.Row::verdict).containsExactly("ok", "SHORT", "ok");
        assertThat(table.markdown()).contains("| http | collect | 7,000 req/s | bare 10,000 req/s | 70.0% | ≥ 70.0% | ok |");
    }

    @Test
    void theBusyShareIsTheNonIdleTicksBetweenTwoReadingsOfProcStat() {
        // Given two readings: 300 ticks passed, 60 of them idle or waiting on I/O
        Offsets.CpuTimes from = new Offsets.CpuTimes(1_000, 5_000);
        Offsets.CpuTimes to = new Offsets.CpuTimes(1_240, 5_300);

        // Then 80% of the CPU time between them was busy; without a reading or without time, n/a
        assertThat(Offsets.CpuTimes.busyShare(from, to)).isCloseTo(0.80, within(1e-9));
        assertThat(Offsets.CpuTimes.busyShare(null, to)).isNaN();
        assertThat(Offsets.CpuTimes.busyShare(to, to)).isNaN();
        // And this machine's own counters read, busy ticks within the total (Linux only)
        Offsets.CpuTimes now = Offsets.CpuTimes.read();
        if (now != null) {
            assertThat(now.total()).isGreaterThanOrEqualTo(now.busy()).isPositive();
        }
        assertThat(Offsets.CpuTimes.cpus()).isPositive();
    }

    @Test
    void theNasaReplayKeepsAThirdOfTheHostsAcrossDaysAndShufflesOnlyWithinADay() throws Exception {
        // Given three requests of two hosts, one of which returns (by the bench's rule) and one that does not
        String returning = host(true);
        String once = host(false);
        List<Datasets.NasaRow> rows = List.of(new Datasets.NasaRow(returning, Datasets.NASA_DAY + 1_000, "GET", "/a"),
                new Datasets.NasaRow(once, Datasets.NASA_DAY + 2_000, "GET", "/b"),
                new Datasets.NasaRow(returning, Datasets.NASA_DAY + 3_000, "POST", "/c"));

        // When replayed over three days, shuffled
        List<List<String>> days = Datasets.nasaReplay(rows, 3, Datasets.NASA_DAY, true, "t");

        // Then each day holds that day's copies only, the returning host keeps its id and the other gets a new one each day
        Set<String> visitors = new HashSet<>();
        for (int d = 0; d < 3; d++) {
            assertThat(days.get(d)).hasSize(3);
            for (String line : days.get(d)) {
                var e = Json.MAPPER.readTree(line);
                assertThat(e.get("ts").asLong() / Datasets.DAY_MS).isEqualTo(Datasets.NASA_DAY / Datasets.DAY_MS + d);
                visitors.add(e.get("visitor_id").asText());
                if (e.get("url").asText().equals("/c")) {
                    assertThat(e.get("type").asText()).isEqualTo("form_submit");
                }
            }
        }
        assertThat(visitors).contains(returning).hasSize(1 + 3);
    }

    @Test
    void theElasticReplayShiftsEachCopyByFourDaysWithItsOwnAddresses() throws Exception {
        Path shared = Path.of(System.getProperty("user.dir")).resolve("../../shared/data").normalize();
        Datasets data = new Datasets(shared);
        Path out = dir.resolve("replay.log");

        long lines = data.elasticReplay(2, out);

        List<String> all = Files.readAllLines(out);
        assertThat(lines).isEqualTo(20_000);
        assertThat(all.get(0)).startsWith("1.0.0.0 - - [17/May/2015:10:05:03 +0000]");
        assertThat(all.get(10_000)).startsWith("2.0.0.0 - - [21/May/2015:10:05:03 +0000]");
        Set<String> first = new HashSet<>();
        Set<String> second = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            first.add(all.get(i).split(" ")[0]);
            second.add(all.get(10_000 + i).split(" ")[0]);
        }
        assertThat(first).hasSize(1_753);
        second.retainAll(first);
        assertThat(second).isEmpty();
    }

    private static String host(boolean returning) {
        List<String> candidates = new ArrayList<>();
        for (int i = 0; candidates.isEmpty(); i++) {
            if (Datasets.returning("h" + i + ".example") == returning) {
                candidates.add("h" + i + ".example");
            }
        }
        return candidates.get(0);
    }
}
