package io.vantage.api;

import io.vantage.store.StoreKeys;
import io.vantage.store.VisitEvent;
import io.vantage.store.VisitFacts;
import io.vantage.store.VisitRecord;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongIterator;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Computes one instance's share of a query in one pass over the visits of its range, with
 * metrics.md's segment semantics:
 * <ul>
 *   <li>a visit filter or a trait filter selects visits (by the visit's value, by the visitor's
 *       latest trait); an event filter selects events, and a visit counts when it holds a
 *       selected event anywhere;</li>
 *   <li>event metrics count the selected events of selected visits in the range, visitors are the
 *       distinct visitors of those events, session metrics are over selected visits that start in
 *       the range;</li>
 *   <li>a breakdown row is the same segment narrowed to the row's values: a visit is in the row of
 *       each value of its selected events, and of its own visit values; events by their time,
 *       visits by their start.</li>
 * </ul>
 * A visitor is new in a row when their first visit starts in the range and in the row's time
 * bucket. Visitor sets are per query and exact; they never leave the instance (see {@link Partial}).
 */
final class SegmentScan {
    /** The longest range read hour by hour through the {@link HourCache}: 92 days. */
    static final long MAX_CACHED_HOURS = 92 * 24;
    private final ScanRequest request;
    private final List<Dimension> dims = new ArrayList<>();
    private final List<Filter> visitFilters = new ArrayList<>();
    private final List<Filter> eventFilters = new ArrayList<>();
    private final List<Filter> traitFilters = new ArrayList<>();
    /** Filters on time buckets: they keep the instants whose bucket they match, events by their time, visits by their start. */
    private final List<TimeFilter> timeFilters = new ArrayList<>();
    private final Buckets buckets;
    private final int timeIndex;
    private final boolean eventDims;
    private final int goalIndex;
    private final Set<String> traitNames = new HashSet<>();
    private final Map<List<String>, Acc> rows = new HashMap<>();
    private final Map<List<String>, Acc> goalBase = new HashMap<>();
    private final Acc total = new Acc();
    private final Long2LongOpenHashMap firstVisits = new Long2LongOpenHashMap();
    private Map<String, Long2ObjectOpenHashMap<String>> traits;

    SegmentScan(ScanRequest request) {
        this.request = request;
        TimeGrouping time = null;
        int t = -1;
        int g = -1;
        boolean ev = false;
        for (String name : request.dimensions()) {
            var tg = TimeGrouping.ofApiName(name);
            Dimension d = tg.map(Dimension::time).orElseGet(() -> Dimension.ofApiName(name)
                    .orElseThrow(() -> new IllegalArgumentException("unknown dimension " + name)));
            if (tg.isPresent()) {
                time = tg.get();
                t = dims.size();
            }
            if (d.field() == Dimension.Field.GOAL) {
                g = dims.size();
            }
            ev |= d.kind() == Dimension.Kind.EVENT;
            if (d.field() == Dimension.Field.TRAIT) {
                traitNames.add(d.param());
            }
            dims.add(d);
        }
        for (ScanRequest.FilterSpec f : request.filters()) {
            var tg = TimeGrouping.ofApiName(f.dimension());
            Dimension d = tg.map(Dimension::time).orElseGet(() -> Dimension.ofApiName(f.dimension())
                    .orElseThrow(() -> new IllegalArgumentException("unknown dimension " + f.dimension())));
            Filter compiled = Filter.of(f.op(), d, f.values(), f.caseSensitive());
            switch (d.kind()) {
                case EVENT -> eventFilters.add(compiled);
                case VISIT -> visitFilters.add(compiled);
                case VISITOR -> {
                    traitFilters.add(compiled);
                    traitNames.add(d.param());
                }
                case TIME -> timeFilters.add(new TimeFilter(new Buckets(ZoneId.of(request.zone()), tg.orElseThrow()), compiled));
            }
        }
        this.buckets = time == null ? null : new Buckets(ZoneId.of(request.zone()), time);
        this.timeIndex = t;
        this.goalIndex = g;
        this.eventDims = ev;
        firstVisits.defaultReturnValue(Long.MIN_VALUE);
    }

    /** Adds one partition's visits. */
    void scan(PartitionStores stores) {
        traits = new HashMap<>();
        for (String name : traitNames) {
            traits.put(name, loadTrait(stores, name));
        }
        byte[] span = stores.spans().get(StoreKeys.span(request.site()));
        long maxSpan = span == null ? 0 : StoreKeys.longOf(span);
        long fromHour = Math.floorDiv(request.fromMs() - maxSpan, StoreKeys.HOUR_MS);
        long toHour = Math.floorDiv(request.toMs() - 1, StoreKeys.HOUR_MS);
        // Hour by hour only over ranges of a few months: a range of years ("all" of an imported
        // history) is one scan, not tens of thousands of mostly empty hours kept in the cache.
        boolean byHour = stores.hours() != null && stores.cache() != null && toHour - fromHour <= MAX_CACHED_HOURS;
        byte[] epoch = byHour ? stores.hours().get(StoreKeys.EPOCH) : null;
        if (epoch == null) {
            Bytes[] range = StoreKeys.visitHours(request.site(), fromHour, toHour);
            try (KeyValueIterator<Bytes, byte[]> it = stores.visits().range(range[0], range[1])) {
                while (it.hasNext()) {
                    KeyValue<Bytes, byte[]> kv = it.next();
                    long start = StoreKeys.visitStart(kv.key);
                    if (start < request.toMs()) {
                        VisitRecord.View view = VisitRecord.view(kv.value, start);
                        visit(start, view.end(), view.visitor(), view.firstVisit(), view::facts, view::record);
                    }
                }
            }
            return;
        }
        long e = StoreKeys.longOf(epoch);
        // The versions are read before the hours: a write during the read only makes a copy look older than it is.
        Long2LongOpenHashMap versions = hourVersions(stores, request.site(), fromHour, toHour);
        for (long hour = Math.max(0, fromHour); hour <= toHour; hour++) {
            long version = versions.get(hour);
            HourCache.Hour h = stores.cache().get(stores.partition(), request.site(), hour, e, version);
            if (h == null) {
                h = read(stores, hour, e, version);
                stores.cache().put(stores.partition(), request.site(), hour, h);
            }
            for (VisitRecord r : h.visits()) {
                if (r.start() < request.toMs()) {
                    visit(r.start(), r.end(), r.visitor(), r.firstVisit(), r::facts, () -> r);
                }
            }
        }
    }

    private HourCache.Hour read(PartitionStores stores, long hour, long epoch, long version) {
        List<VisitRecord> list = visitsStarting(stores, request.site(), hour);
        long events = 0;
        for (VisitRecord r : list) {
            events += r.events().size();
        }
        return new HourCache.Hour(epoch, version, list, events);
    }

    /**
     * The versions of a site's hours {@code first} to {@code last} in one partition's visit-hours
     * store (which the processor bumps whenever a visit of the hour is written); 0 for an hour it has none of.
     */
    static Long2LongOpenHashMap hourVersions(PartitionStores stores, String site, long first, long last) {
        Long2LongOpenHashMap versions = new Long2LongOpenHashMap();
        Bytes[] range = StoreKeys.visitHourRange(site, first, last);
        try (KeyValueIterator<Bytes, byte[]> it = stores.hours().range(range[0], range[1])) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                versions.put(StoreKeys.visitHourOf(kv.key), StoreKeys.longOf(kv.value));
            }
        }
        return versions;
    }

    /** The decoded visits of a site that start in one hour, from one partition's visits store. */
    static List<VisitRecord> visitsStarting(PartitionStores stores, String site, long hour) {
        List<VisitRecord> list = new ArrayList<>();
        Bytes[] range = StoreKeys.visitHours(site, hour, hour);
        try (KeyValueIterator<Bytes, byte[]> it = stores.visits().range(range[0], range[1])) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                list.add(VisitRecord.decode(kv.value, StoreKeys.visitStart(kv.key)));
            }
        }
        return List.copyOf(list);
    }

    private Long2ObjectOpenHashMap<String> loadTrait(PartitionStores stores, String name) {
        Long2ObjectOpenHashMap<String> m = new Long2ObjectOpenHashMap<>();
        Bytes[] range = StoreKeys.traitRange(request.site(), name);
        try (KeyValueIterator<Bytes, byte[]> it = stores.traits().range(range[0], range[1])) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                m.put(StoreKeys.traitVisitor(kv.key), new String(kv.value, StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    private void visit(long start, long end, long visitor, boolean first, Supplier<VisitFacts> facts, Supplier<VisitRecord> record) {
        long from = request.fromMs();
        long to = request.toMs();
        if (end < from) {
            return;
        }
        boolean startsIn = start >= from && start < to && inTime(start);
        if (startsIn && first) {
            firstVisits.put(visitor, start);
        }
        for (Filter f : traitFilters) {
            if (!f.test(traitOf(f.dimension().param(), visitor))) {
                return;
            }
        }
        // Filters on the first event's facts need no event decoded; entry and exit pages do.
        for (Filter f : visitFilters) {
            if (!isPage(f.dimension()) && !f.test(factValue(f.dimension(), facts.get()))) {
                return;
            }
        }
        VisitRecord v = record.get();
        Session s = new Session(v, request.goals());
        for (Filter f : visitFilters) {
            if (isPage(f.dimension()) && !f.test(s.visitValue(f.dimension()))) {
                return;
            }
        }
        List<VisitEvent> events = v.events();
        boolean[] selected = new boolean[events.size()];
        boolean any = false;
        for (int i = 0; i < selected.length; i++) {
            boolean ok = true;
            for (Filter f : eventFilters) {
                if (!f.test(eventValue(f.dimension(), events.get(i)))) {
                    ok = false;
                    break;
                }
            }
            selected[i] = ok;
            any |= ok;
        }
        if (!any) {
            return;
        }
        String[] fixed = fixedValues(s, v.visitor());
        for (int i = 0; i < selected.length; i++) {
            VisitEvent e = events.get(i);
            if (!selected[i] || e.ts() < from || e.ts() >= to || !inTime(e.ts())) {
                continue;
            }
            total.event(e, v.visitor());
            if (!dims.isEmpty()) {
                List<String> key = key(fixed, e, e.ts());
                if (key != null) {
                    acc(rows, key).event(e, v.visitor());
                }
            }
        }
        if (!startsIn) {
            return;
        }
        total.visit(s, v.visitor());
        if (dims.isEmpty()) {
            return;
        }
        if (!eventDims) {
            List<String> key = key(fixed, null, start);
            if (key != null) {
                acc(rows, key).visit(s, v.visitor());
            }
            return;
        }
        Set<List<String>> keys = new HashSet<>();
        for (int i = 0; i < selected.length; i++) {
            if (selected[i]) {
                List<String> key = key(fixed, events.get(i), start);
                if (key != null) {
                    keys.add(key);
                }
            }
        }
        for (List<String> key : keys) {
            acc(rows, key).visit(s, v.visitor());
        }
        if (goalIndex >= 0) {
            // The denominator of a goal's conversion rate: the visits of the rest of the row, goal or not.
            List<String> base = key(fixed, null, start);
            if (base != null) {
                acc(goalBase, base).visit(s, v.visitor());
            }
        }
    }

    private record TimeFilter(Buckets buckets, Filter filter) {
    }

    /** Whether an instant's bucket passes every time filter. */
    private boolean inTime(long ts) {
        for (TimeFilter f : timeFilters) {
            if (!f.filter().test(f.buckets().label(ts))) {
                return false;
            }
        }
        return true;
    }

    private Acc acc(Map<List<String>, Acc> m, List<String> key) {
        return m.computeIfAbsent(key, k -> new Acc());
    }

    /** The values of the row's visit and visitor dimensions ({@code null} marks one the visit has none for). */
    private String[] fixedValues(Session s, long visitor) {
        String[] out = new String[dims.size()];
        for (int i = 0; i < out.length; i++) {
            Dimension d = dims.get(i);
            if (d.kind() == Dimension.Kind.VISIT) {
                out[i] = s.visitValue(d);
            } else if (d.kind() == Dimension.Kind.VISITOR) {
                String t = traitOf(d.param(), visitor);
                out[i] = t == null ? Dimension.NONE : t;
            }
        }
        return out;
    }

    /** The row key; with {@code e} null, event dimensions are {@code *} (used for the goal base). */
    private List<String> key(String[] fixed, VisitEvent e, long ts) {
        if (dims.isEmpty()) {
            return List.of();
        }
        String[] k = new String[dims.size()];
        for (int i = 0; i < k.length; i++) {
            Dimension d = dims.get(i);
            String value = switch (d.kind()) {
                case TIME -> buckets.label(ts);
                case EVENT -> e == null ? "*" : eventValue(d, e);
                default -> fixed[i];
            };
            if (value == null) {
                if (!d.labelsMissing()) {
                    return null;
                }
                value = Dimension.NONE;
            }
            k[i] = value;
        }
        return Arrays.asList(k);
    }

    private String traitOf(String name, long visitor) {
        Long2ObjectOpenHashMap<String> m = traits.get(name);
        return m == null ? null : m.get(visitor);
    }

    private String eventValue(Dimension d, VisitEvent e) {
        return eventValue(d, e, request.goals());
    }

    /** An event's value of an event dimension, null when it has none. */
    static String eventValue(Dimension d, VisitEvent e, List<String> goals) {
        return switch (d.field()) {
            case PAGE -> e.page();
            case TYPE -> e.type().wire();
            case NAME -> e.name();
            case GOAL -> e.goal(goals);
            case PROP -> e.props().get(d.param());
            default -> throw new IllegalArgumentException("not an event dimension: " + d.apiName());
        };
    }

    /** This instance's share, over the partitions it read. */
    Partial finish(List<Integer> partitions) {
        List<Partial.Row> out = new ArrayList<>(rows.size());
        rows.forEach((k, a) -> out.add(new Partial.Row(k, a.counts(timeIndex < 0 ? null : k.get(timeIndex)))));
        List<Partial.Row> base = new ArrayList<>(goalBase.size());
        goalBase.forEach((k, a) -> base.add(new Partial.Row(k, a.counts(timeIndex < 0 ? null : k.get(timeIndex)))));
        return new Partial(partitions, out, total.counts(null), base);
    }

    /** One row's running counts and exact visitor sets. */
    private final class Acc {
        private final long[] c = new long[Partial.COUNTS];
        private final LongOpenHashSet visitors = new LongOpenHashSet();
        private Long2IntOpenHashMap starters;

        void event(VisitEvent e, long visitor) {
            c[Partial.EVENTS]++;
            if (e.type().isPageview()) {
                c[Partial.PAGEVIEWS]++;
            }
            visitors.add(visitor);
        }

        void visit(Session s, long visitor) {
            s.countInto(c);
            if (request.repeaters()) {
                if (starters == null) {
                    starters = new Long2IntOpenHashMap();
                }
                starters.addTo(visitor, 1);
            }
        }


        long[] counts(String timeLabel) {
            long[] out = c.clone();
            out[Partial.VISITORS] = visitors.size();
            long fresh = 0;
            for (LongIterator it = visitors.iterator(); it.hasNext(); ) {
                long first = firstVisits.get(it.nextLong());
                if (first != Long.MIN_VALUE && (timeLabel == null || timeLabel.equals(buckets.label(first)))) {
                    fresh++;
                }
            }
            out[Partial.NEW_VISITORS] = fresh;
            long repeaters = 0;
            if (starters != null) {
                for (int n : starters.values()) {
                    repeaters += n >= 2 ? 1 : 0;
                }
            }
            out[Partial.REPEATERS] = repeaters;
            return out;
        }
    }

    /** What a query needs of a visit besides its events, computed once per visit. */
    static final class Session {
        final long start;
        final long end;
        final long events;
        long pageviews;
        long interactions;
        long firstConversion = Long.MAX_VALUE;
        String entryPage;
        String exitPage;
        final VisitRecord v;

        Session(VisitRecord v, List<String> goals) {
            this.v = v;
            this.start = v.start();
            this.end = v.end();
            List<VisitEvent> ev = v.events();
            this.events = ev.size();
            for (VisitEvent e : ev) {
                if (e.type().isPageview()) {
                    pageviews++;
                    if (entryPage == null) {
                        entryPage = e.page();
                    }
                    exitPage = e.page();
                } else if (e.type().isInteraction()) {
                    interactions++;
                }
                if (firstConversion == Long.MAX_VALUE && e.isConversion(goals)) {
                    firstConversion = e.ts();
                }
            }
        }

        /** Adds this visit to a row's visit counts ({@link Partial}'s indexes). */
        void countInto(long[] c) {
            c[Partial.VISITS]++;
            c[Partial.BOUNCES] += bounce() ? 1 : 0;
            c[Partial.DURATION_MS] += end - start;
            c[Partial.SESSION_EVENTS] += events;
            c[Partial.SESSION_PAGEVIEWS] += pageviews;
            if (firstConversion != Long.MAX_VALUE) {
                c[Partial.CONVERSIONS]++;
                c[Partial.CONVERSION_MS] += firstConversion - start;
            }
        }

        /** metrics.md: at most one pageview and no interaction event. */
        boolean bounce() {
            return pageviews <= 1 && interactions == 0;
        }

        String visitValue(Dimension d) {
            return switch (d.field()) {
                case ENTRY_PAGE -> entryPage;
                case EXIT_PAGE -> exitPage;
                default -> factValue(d, v.facts());
            };
        }
    }

    static boolean isPage(Dimension d) {
        return d.field() == Dimension.Field.ENTRY_PAGE || d.field() == Dimension.Field.EXIT_PAGE;
    }

    static String factValue(Dimension d, VisitFacts f) {
        return switch (d.field()) {
            case SOURCE -> f.source();
            case REFERRER -> f.referrer();
            case REFERRER_MEDIUM -> io.vantage.store.ReferrerDatabase.standard().medium(f.referrer());
            case UTM_SOURCE -> f.utmSource();
            case UTM_MEDIUM -> f.utmMedium();
            case UTM_CAMPAIGN -> f.utmCampaign();
            case COUNTRY -> f.country();
            case BROWSER -> f.browser();
            case OS -> f.os();
            case DEVICE -> f.device();
            default -> throw new IllegalArgumentException("not a visit dimension: " + d.apiName());
        };
    }
}
