package io.vantage.profiler;

import io.vantage.model.Event;
import java.util.Map;
import java.util.TreeMap;

/**
 * What is known of one visitor of one site. Built so that events may arrive in any order: the
 * first and last facts are kept with their event times and only replaced by earlier or later ones.
 * Traits are the latest value per name by event time, at most {@link #MAX_TRAITS} names and
 * {@link #MAX_TRAIT_CHARS} characters of names and values in all: a visitor identified again and
 * again with new names cannot grow its profile (a Kafka record) without bound. What did not fit is
 * counted in {@code traitsDropped}, which the profile API shows.
 */
public record VisitorProfile(
        String site,
        String visitorId,
        long firstSeen,
        long lastSeen,
        String firstPage,
        long firstPageTs,
        String lastPage,
        long lastPageTs,
        long events,
        long pageviews,
        Map<String, String> traits,
        Map<String, Long> traitTimes,
        long visits,
        long conversions,
        long latestVisitStart,
        long latestVisitEnd,
        String latestVisitFirstPage,
        String latestVisitLastPage,
        long traitsDropped) {
    public static final int MAX_TRAITS = 100;
    public static final int MAX_TRAIT_CHARS = 16 * 1024;

    public VisitorProfile {
        // Read-only: a profile is shared (RecentProfiles keeps the profiler's last writes), so a change
        // made to one in place would differ from the store unnoticed.
        traits = readOnly(traits);
        traitTimes = readOnly(traitTimes);
    }

    private static final Class<?> READ_ONLY_SORTED = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>()).getClass();

    private static <V> Map<String, V> readOnly(Map<String, V> m) {
        if (m == null || m.isEmpty()) {
            return Map.of();
        }
        if (m.getClass() == READ_ONLY_SORTED) {
            return m;
        }
        return java.util.Collections.unmodifiableSortedMap(m instanceof java.util.TreeMap<String, V> t ? t : new java.util.TreeMap<>(m));
    }

    /** The profile of a visitor not seen before. */
    public static VisitorProfile empty(String site, String visitorId) {
        return new VisitorProfile(site, visitorId, Long.MAX_VALUE, Long.MIN_VALUE, null, Long.MAX_VALUE, null,
                Long.MIN_VALUE, 0, 0, Map.of(), Map.of(), 0, 0, Long.MIN_VALUE, Long.MIN_VALUE, null, null, 0);
    }

    public boolean isEmpty() {
        return events == 0 && traits.isEmpty();
    }

    /** The profile after {@code event}. */
    public VisitorProfile with(Event event) {
        long ts = event.ts();
        if (event.type() == io.vantage.model.EventType.IDENTIFY) {
            return withTraits(event.traits(), ts);
        }
        String page = event.type().isPageview() ? event.path() : null;
        boolean earlierPage = page != null && ts < firstPageTs;
        boolean laterPage = page != null && ts >= lastPageTs;
        VisitorProfile p = new VisitorProfile(site, visitorId, Math.min(firstSeen, ts), Math.max(lastSeen, ts),
                earlierPage ? page : firstPage, earlierPage ? ts : firstPageTs,
                laterPage ? page : lastPage, laterPage ? ts : lastPageTs,
                events + 1, pageviews + (event.type().isPageview() ? 1 : 0), traits, traitTimes,
                visits, conversions, latestVisitStart, latestVisitEnd, latestVisitFirstPage, latestVisitLastPage, traitsDropped);
        return event.traits() == null ? p : p.withTraits(event.traits(), ts);
    }

    private VisitorProfile withTraits(Map<String, String> newTraits, long ts) {
        if (newTraits == null || newTraits.isEmpty()) {
            return this;
        }
        TreeMap<String, String> t = new TreeMap<>(traits);
        TreeMap<String, Long> times = new TreeMap<>(traitTimes);
        long chars = 0;
        for (Map.Entry<String, String> e : t.entrySet()) {
            chars += e.getKey().length() + e.getValue().length();
        }
        long dropped = traitsDropped;
        for (Map.Entry<String, String> e : newTraits.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            if (ts < times.getOrDefault(name, Long.MIN_VALUE)) {
                continue;
            }
            String old = t.get(name);
            long grown = chars - (old == null ? 0 : name.length() + old.length()) + name.length() + value.length();
            if ((old == null && t.size() >= MAX_TRAITS) || grown > MAX_TRAIT_CHARS) {
                dropped++;
                continue;
            }
            t.put(name, value);
            times.put(name, ts);
            chars = grown;
        }
        return new VisitorProfile(site, visitorId, firstSeen, lastSeen, firstPage, firstPageTs, lastPage, lastPageTs,
                events, pageviews, t, times, visits, conversions, latestVisitStart, latestVisitEnd, latestVisitFirstPage,
                latestVisitLastPage, dropped);
    }

    /**
     * The profile after its sessions changed: {@code visitsDelta} sessions more (negative when an
     * event merged sessions), and the given session as the latest visit when it starts last.
     */
    public VisitorProfile withVisits(long visitsDelta, long conversionsDelta, long visitStart, long visitEnd,
                                     String visitFirstPage, String visitLastPage) {
        // The latest visit, or one that now contains it after a merge.
        boolean latest = visitStart >= latestVisitStart || latestVisitStart <= visitEnd;
        return new VisitorProfile(site, visitorId, firstSeen, lastSeen, firstPage, firstPageTs, lastPage, lastPageTs,
                events, pageviews, traits, traitTimes, visits + visitsDelta, conversions + conversionsDelta,
                latest ? visitStart : latestVisitStart, latest ? visitEnd : latestVisitEnd,
                latest ? visitFirstPage : latestVisitFirstPage,
                latest ? visitLastPage : latestVisitLastPage, traitsDropped);
    }
}
