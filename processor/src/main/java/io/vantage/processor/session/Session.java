package io.vantage.processor.session;

import io.vantage.model.Event;
import io.vantage.model.EventType;
import io.vantage.processor.enrich.EnrichedEvent;

/**
 * One visit: a maximal run of a visitor's events with no gap over the site's session timeout.
 * Built so that events may arrive in any order: merging two sessions (or a session and an event)
 * gives the same result whatever the order.
 *
 * @param start             the first event's time
 * @param end               the last event's time
 * @param interactions      interaction events (metrics.md: a bounce has none)
 * @param entryPage         the path of the first pageview, with its time
 * @param exitPage          the path of the last pageview, with its time
 * @param firstConversionTs the time of the first conversion event, {@link Long#MAX_VALUE} without one
 * @param first             the visit facts (source, referrer, UTM, country, client) of the first event
 */
public record Session(long start, long end, long events, long pageviews, long interactions,
                      String entryPage, long entryTs, String exitPage, long exitTs, long firstConversionTs,
                      VisitFacts first) {

    /** What a visit is broken down by, taken from its first event. */
    public record VisitFacts(String source, String referrer, String utmSource, String utmMedium, String utmCampaign,
                             String country, String browser, String os, String device) {
        static VisitFacts of(EnrichedEvent e) {
            return new VisitFacts(e.source(), e.referrer(), e.utmSource(), e.utmMedium(), e.utmCampaign(),
                    e.country(), e.browser(), e.os(), e.device());
        }
    }

    /** A session of one event; {@code conversion} says whether the event is a conversion for its site. */
    public static Session of(EnrichedEvent e, boolean conversion) {
        Event event = e.event();
        long ts = event.ts();
        String page = event.type() == EventType.PAGEVIEW ? event.path() : null;
        return new Session(ts, ts, 1, event.type() == EventType.PAGEVIEW ? 1 : 0,
                event.type().isInteraction() ? 1 : 0,
                page, page == null ? Long.MAX_VALUE : ts, page, page == null ? Long.MIN_VALUE : ts,
                conversion ? ts : Long.MAX_VALUE, VisitFacts.of(e));
    }

    public Session merge(Session o) {
        // Ties are broken by value, so the result never depends on arrival order.
        boolean oEntry = o.entryTs < entryTs || (o.entryTs == entryTs && less(o.entryPage, entryPage));
        boolean oExit = o.exitTs > exitTs || (o.exitTs == exitTs && less(exitPage, o.exitPage));
        boolean oFirst = o.start < start || (o.start == start && less(String.valueOf(o.first), String.valueOf(first)));
        return new Session(Math.min(start, o.start), Math.max(end, o.end), events + o.events, pageviews + o.pageviews,
                interactions + o.interactions,
                oEntry ? o.entryPage : entryPage, Math.min(entryTs, o.entryTs),
                oExit ? o.exitPage : exitPage, Math.max(exitTs, o.exitTs),
                Math.min(firstConversionTs, o.firstConversionTs),
                oFirst ? o.first : first);
    }

    private static boolean less(String a, String b) {
        return a != null && (b == null || a.compareTo(b) < 0);
    }

    /** metrics.md: at most one pageview and no interaction event. */
    public boolean bounce() {
        return pageviews <= 1 && interactions == 0;
    }

    public boolean converted() {
        return firstConversionTs != Long.MAX_VALUE;
    }

    public long durationMs() {
        return end - start;
    }

    /** Time from the start to the first conversion; 0 without one. */
    public long conversionMs() {
        return converted() ? firstConversionTs - start : 0;
    }

    /** Whether an event at {@code ts} belongs to this session under timeout {@code gapMs} (a gap of exactly the timeout does not split). */
    public boolean reaches(long ts, long gapMs) {
        return ts >= start - gapMs && ts <= end + gapMs;
    }
}
