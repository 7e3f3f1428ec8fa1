package io.vantage.processor.rollup;

import io.vantage.processor.session.Session;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The rollup changes one record causes, summed per row, then applied to the store in one pass.
 * This is where metrics.md's counting rules meet the rollup keys: events at their time, sessions
 * at their start, visitors by first visit and by latest trait.
 */
public final class RollupChanges {
    private final String site;
    private final ZoneId zone;
    private final Map<String, RollupChange> changes = new LinkedHashMap<>();

    public RollupChanges(String site, ZoneId zone) {
        this.site = site;
        this.zone = zone;
    }

    private RollupChange row(Dimension dim, Granularity g, long localMinute, String value) {
        return changes.computeIfAbsent(new RollupKey(site, dim, g, g.bucketOf(localMinute), value).encode(), k -> new RollupChange());
    }

    /** One event: totals, its page, its type and (custom events) its name. */
    public void event(long ts, boolean pageview, long visitorHash, String path, String type, String name) {
        long minute = LocalMinutes.of(ts, zone);
        for (Granularity g : Dimension.ALL.kept()) {
            row(Dimension.ALL, g, minute, "").event(pageview, visitorHash);
        }
        if (path != null) {
            for (Granularity g : Dimension.PAGE.kept()) {
                row(Dimension.PAGE, g, minute, path).event(pageview, visitorHash);
            }
        }
        for (Granularity g : Dimension.EVENT_TYPE.kept()) {
            row(Dimension.EVENT_TYPE, g, minute, type).event(pageview, visitorHash);
        }
        if (name != null) {
            for (Granularity g : Dimension.EVENT_NAME.kept()) {
                row(Dimension.EVENT_NAME, g, minute, name).event(pageview, visitorHash);
            }
        }
    }

    /** A session added ({@code sign} 1) or taken back ({@code sign} -1), in the bucket of its start. */
    public void session(int sign, Session s, long visitorHash) {
        long minute = LocalMinutes.of(s.start(), zone);
        for (Granularity g : Dimension.ALL.kept()) {
            add(row(Dimension.ALL, g, minute, ""), sign, s, visitorHash);
        }
        Session.VisitFacts f = s.first();
        visit(Dimension.ENTRY_PAGE, minute, s.entryPage(), sign, s, visitorHash);
        visit(Dimension.EXIT_PAGE, minute, s.exitPage(), sign, s, visitorHash);
        visit(Dimension.SOURCE, minute, f.source(), sign, s, visitorHash);
        visit(Dimension.REFERRER, minute, f.referrer(), sign, s, visitorHash);
        visit(Dimension.UTM_SOURCE, minute, f.utmSource(), sign, s, visitorHash);
        visit(Dimension.UTM_MEDIUM, minute, f.utmMedium(), sign, s, visitorHash);
        visit(Dimension.UTM_CAMPAIGN, minute, f.utmCampaign(), sign, s, visitorHash);
        visit(Dimension.COUNTRY, minute, f.country(), sign, s, visitorHash);
        visit(Dimension.BROWSER, minute, f.browser(), sign, s, visitorHash);
        visit(Dimension.OS, minute, f.os(), sign, s, visitorHash);
        visit(Dimension.DEVICE, minute, f.device(), sign, s, visitorHash);
    }

    private void visit(Dimension dim, long minute, String value, int sign, Session s, long visitorHash) {
        if (value != null) {
            for (Granularity g : dim.kept()) {
                add(row(dim, g, minute, value), sign, s, visitorHash);
            }
        }
    }

    private static void add(RollupChange c, int sign, Session s, long visitorHash) {
        c.session(sign, visitorHash, s.bounce(), s.durationMs(), s.events(), s.pageviews(), s.converted(), s.conversionMs());
    }

    /** The visitor's first event ever moved to (sign 1) or away from (sign -1) the bucket of {@code ts}. */
    public void firstSeen(int sign, long ts, long visitorHash) {
        long minute = LocalMinutes.of(ts, zone);
        for (Granularity g : Dimension.FIRST_SEEN.kept()) {
            row(Dimension.FIRST_SEEN, g, minute, "").visitor(sign, visitorHash);
        }
    }

    /** The visitor's latest value of trait {@code name} is (sign 1) or no longer is (sign -1) {@code value}. */
    public void trait(int sign, String name, String value, long visitorHash) {
        changes.computeIfAbsent(new RollupKey(site, Dimension.TRAIT, Granularity.DAY, 0, name + '=' + value).encode(),
                k -> new RollupChange()).visitor(sign, visitorHash);
    }

    /** Applies every change: one read and one write (or delete) per touched row. */
    public void applyTo(KeyValueStore<String, Rollup> store) {
        for (Map.Entry<String, RollupChange> c : changes.entrySet()) {
            if (c.getValue().isNoop()) {
                continue;
            }
            Rollup row = store.get(c.getKey());
            row = (row == null ? new Rollup() : row).apply(c.getValue());
            if (row.isEmpty()) {
                store.delete(c.getKey());
            } else {
                store.put(c.getKey(), row);
            }
        }
    }
}
