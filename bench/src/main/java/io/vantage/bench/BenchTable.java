package io.vantage.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one table {@code bin/vantage bench} prints: each figure, the ceiling it is measured
 * against in the same run, their ratio and the target that ratio (or figure) is held to.
 */
final class BenchTable {
    /** One line of the table; {@code verdict} is "ok", "SHORT" or "" when there is no target. */
    record Row(String section, String figure, String value, String ceiling, String ratio, String target, String verdict) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    synchronized void add(Row row) {
        rows.add(row);
        System.out.println("  " + row.figure() + ": " + row.value() + (row.ceiling().isEmpty() ? "" : "  vs " + row.ceiling())
                + (row.ratio().isEmpty() ? "" : "  = " + row.ratio()) + (row.target().isEmpty() ? "" : "  target " + row.target()
                + " " + row.verdict()));
    }

    synchronized void note(String text) {
        notes.add(text);
        System.out.println("  note: " + text);
    }

    /** A rate against a rate ceiling: the ratio is a share, {@code minShare} the target (0 for none). */
    void rate(String section, String figure, double value, String unit, String ceilingName, double ceiling, double minShare) {
        double share = ceiling > 0 ? value / ceiling : Double.NaN;
        add(new Row(section, figure, num(value) + " " + unit, ceilingName + " " + num(ceiling) + " " + unit, pct(share),
                minShare > 0 ? "≥ " + pct(minShare) : "", minShare > 0 ? verdict(share >= minShare) : ""));
    }

    /** A latency against a latency floor: the ratio is a factor, {@code maxFactor} the target (0 for none). */
    void latency(String section, String figure, double ms, String floorName, double floorMs, double maxFactor) {
        double factor = floorMs > 0 ? ms / floorMs : Double.NaN;
        add(new Row(section, figure, ms(ms), floorName + " " + ms(floorMs), factor(factor),
                maxFactor > 0 ? "≤ " + factor(maxFactor) : "", maxFactor > 0 ? verdict(factor <= maxFactor) : ""));
    }

    /** A latency against a latency floor with an absolute ceiling as the target. */
    void latencyWithin(String section, String figure, double ms, String floorName, double floorMs, double maxMs) {
        add(new Row(section, figure, ms(ms), floorName + " " + ms(floorMs), floorMs > 0 ? factor(ms / floorMs) : "n/a",
                "≤ " + ms(maxMs), verdict(ms <= maxMs)));
    }

    /** A size or count against a reference of the same unit, with an optional maximum factor. */
    void size(String section, String figure, double value, String unit, String refName, double ref, double maxFactor) {
        double factor = ref > 0 ? value / ref : Double.NaN;
        add(new Row(section, figure, num(value) + " " + unit, refName + " " + num(ref) + " " + unit, factor(factor),
                maxFactor > 0 ? "≤ " + factor(maxFactor) : "", maxFactor > 0 ? verdict(factor <= maxFactor) : ""));
    }

    /**
     * How busy the machine's CPUs were while a figure was timed, next to how busy they were while its
     * ceiling was: context for a rate (a second thread or instance can only gain what was idle), no target.
     */
    void busy(String section, String figure, double share, String refName, double refShare) {
        int cores = Offsets.CpuTimes.cpus();
        add(new Row(section, figure, pct(share) + " of " + cores + " cores", refName + " " + pct(refShare) + " of " + cores + " cores",
                "", "", ""));
    }

    /** A figure that cannot be measured in this run, with the reason. */
    void missing(String section, String figure, String why) {
        add(new Row(section, figure, "n/a", why, "", "", ""));
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    /** The table as text, columns aligned. */
    String text() {
        String[] head = {"section", "figure", "value", "ceiling (same run)", "ratio", "target", ""};
        int[] w = new int[head.length];
        List<String[]> lines = new ArrayList<>();
        lines.add(head);
        rows.forEach(r -> lines.add(new String[] {r.section(), r.figure(), r.value(), r.ceiling(), r.ratio(), r.target(), r.verdict()}));
        lines.forEach(l -> {
            for (int i = 0; i < l.length; i++) {
                w[i] = Math.max(w[i], l[i].length());
            }
        });
        StringBuilder out = new StringBuilder();
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                out.append(String.format(Locale.ROOT, "%-" + (w[i] + 2) + "s", l[i]));
            }
            out.append('\n');
        }
        notes.forEach(n -> out.append("note: ").append(n).append('\n'));
        return out.toString();
    }

    /** The table as Markdown, for docs/benchmarks.md. */
    String markdown() {
        StringBuilder out = new StringBuilder("| section | figure | value | ceiling (same run) | ratio | target | |\n|---|---|---|---|---|---|---|\n");
        rows.forEach(r -> out.append("| ").append(String.join(" | ", r.section(), r.figure(), r.value(), r.ceiling(), r.ratio(),
                r.target(), r.verdict())).append(" |\n"));
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(n -> out.append("- ").append(n).append('\n'));
        }
        return out.toString();
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String ms(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, v >= 100 ? "%,.0f ms" : "%.2f ms", v);
    }

    static String pct(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    static String factor(double f) {
        return Double.isNaN(f) ? "n/a" : String.format(Locale.ROOT, "x%.2f", f);
    }

    private static String verdict(boolean ok) {
        return ok ? "ok" : "SHORT";
    }
}
