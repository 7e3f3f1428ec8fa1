package io.vantage.bench;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The collector's own produce timer ({@code vantage_produce_latency_seconds}, from its
 * {@code /metrics}): the time from handing a request's events to Kafka to their acknowledgement.
 * Two scrapes around a run give that run's distribution, as counts per histogram bucket.
 */
final class ProduceLatency {
    private static final String BUCKET = "vantage_produce_latency_seconds_bucket{le=\"";

    private ProduceLatency() {
    }

    /** Cumulative counts by upper bound in seconds ({@code +Inf} as infinity), as one scrape read them. */
    record Buckets(TreeMap<Double, Long> cumulative) {
        Buckets minus(Buckets earlier) {
            TreeMap<Double, Long> out = new TreeMap<>();
            cumulative.forEach((le, n) -> out.put(le, n - earlier.cumulative.getOrDefault(le, 0L)));
            return new Buckets(out);
        }

        /** The upper bound, in ms, of the bucket holding quantile {@code q}; NaN without observations. */
        double quantileMs(double q) {
            if (cumulative.isEmpty() || cumulative.lastEntry().getValue() == 0) {
                return Double.NaN;
            }
            double rank = q * cumulative.lastEntry().getValue();
            for (Map.Entry<Double, Long> e : cumulative.entrySet()) {
                if (e.getValue() >= rank) {
                    return e.getKey() * 1000;
                }
            }
            return Double.NaN;
        }
    }

    static Buckets scrape(Api collector) throws IOException, InterruptedException {
        Api.Answer answer = collector.call("GET", "/metrics", null);
        if (answer.status() != 200) {
            throw new IllegalStateException("GET /metrics answered " + answer.status() + ": " + answer.body());
        }
        return parse(answer.body());
    }

    static Buckets parse(String prometheusText) {
        TreeMap<Double, Long> out = new TreeMap<>();
        for (String line : prometheusText.split("\\n")) {
            if (!line.startsWith(BUCKET)) {
                continue;
            }
            int end = line.indexOf('"', BUCKET.length());
            String le = line.substring(BUCKET.length(), end);
            double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            long count = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            out.put(bound, count);
        }
        return new Buckets(out);
    }
}
