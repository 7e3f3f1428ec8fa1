package io.vantage.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * The bench's loads, made from the real logs of {@code ../shared/data}: the NASA day replayed over
 * many days (a third of its hosts returning every day, the rest new each day), in time order or
 * shuffled within each day, and the Elastic access log copied with shifted times and addresses.
 */
final class Datasets {
    static final long DAY_MS = 86_400_000L;
    /** 1995-08-01T00:00:00Z, the NASA day's date. */
    static final long NASA_DAY = 807_235_200_000L;

    /** One request of the NASA log. */
    record NasaRow(String host, long tsMs, String method, String url) {
    }

    private final Path data;

    Datasets(Path data) {
        this.data = data;
    }

    Path file(String name) {
        Path p = data.resolve(name);
        if (!Files.exists(p)) {
            throw new IllegalStateException("missing " + p + " (the shared data folder; set --data)");
        }
        return p;
    }

    List<NasaRow> nasa() throws IOException {
        List<NasaRow> rows = new ArrayList<>(31_000);
        try (BufferedReader in = gz(file("nasa-ksc-19950801.tsv.gz"))) {
            in.readLine();
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split("\t", -1);
                rows.add(new NasaRow(f[0], Long.parseLong(f[2]) * 1000, f[3], f[4]));
            }
        }
        return rows;
    }

    /** Whether a host is one of the third that returns on every replayed day. */
    static boolean returning(String host) {
        return Math.floorMod(host.hashCode(), 3) == 0;
    }

    /**
     * The NASA day replayed on {@code days} consecutive days starting {@code firstDayMs} (midnight
     * UTC): one list of NDJSON import lines per day, in time order or shuffled within the day.
     * Returning hosts keep their visitor id across days; the others are new visitors each day.
     */
    static List<List<String>> nasaReplay(List<NasaRow> rows, int days, long firstDayMs, boolean shuffled, String tag) {
        List<List<String>> out = new ArrayList<>(days);
        Random random = new Random(7);
        for (int d = 0; d < days; d++) {
            List<String> lines = new ArrayList<>(rows.size());
            long shift = firstDayMs + d * DAY_MS - NASA_DAY;
            for (int i = 0; i < rows.size(); i++) {
                NasaRow r = rows.get(i);
                String visitor = returning(r.host()) ? r.host() : r.host() + "~" + tag + d;
                lines.add("{\"type\":\"" + ("POST".equals(r.method()) ? "form_submit" : "pageview") + "\",\"ts\":" + (r.tsMs() + shift)
                        + ",\"visitor_id\":\"" + json(visitor) + "\",\"event_id\":\"" + tag + d + "-" + i + "\",\"url\":\""
                        + json(r.url()) + "\"}");
            }
            if (shuffled) {
                Collections.shuffle(lines, random);
            }
            out.add(lines);
        }
        return out;
    }

    /**
     * {@code copies} copies of the Elastic log into {@code target}: copy k is shifted by k × 4
     * days and its client addresses are k+1.0.x.y (distinct across copies and hosts), so each copy
     * adds new visitors on new days. Returns the number of lines written.
     */
    long elasticReplay(int copies, Path target) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = gz(file("elastic-apache_logs.log.gz"))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        }
        java.util.Map<String, Integer> hostIndex = new java.util.HashMap<>();
        java.time.format.DateTimeFormatter clf = java.time.format.DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", java.util.Locale.ENGLISH);
        long written = 0;
        try (java.io.BufferedWriter w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            for (int k = 0; k < copies; k++) {
                for (String line : lines) {
                    int sp = line.indexOf(' ');
                    int lb = line.indexOf('[');
                    int rb = line.indexOf(']');
                    if (sp < 0 || lb < 0 || rb < lb) {
                        w.write(line);
                    } else {
                        int idx = hostIndex.computeIfAbsent(line.substring(0, sp), h -> hostIndex.size());
                        String host = (k + 1) + ".0." + (idx / 256) + "." + (idx % 256);
                        java.time.OffsetDateTime t = java.time.OffsetDateTime.parse(line.substring(lb + 1, rb), clf).plusDays(4L * k);
                        w.write(host + line.substring(sp, lb + 1) + clf.format(t) + line.substring(rb));
                    }
                    w.write('\n');
                    written++;
                }
            }
        }
        return written;
    }

    static BufferedReader gz(Path p) throws IOException {
        return new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(p)), StandardCharsets.UTF_8));
    }

    static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
