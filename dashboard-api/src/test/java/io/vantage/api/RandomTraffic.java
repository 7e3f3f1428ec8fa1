package io.vantage.api;

import io.vantage.model.Event;
import io.vantage.model.EventType;
import io.vantage.testing.TestEvents;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random traffic for comparing the query paths with the scan: returning visitors, visits crossing
 * hours and midnight, pageviews, custom events (the goal {@code signup} among them) with and without
 * a {@code plan} property, form submits, clicks, referrers, and a {@code plan} trait that two
 * visitors in three identify with (some change it later). Events are in time order.
 */
final class RandomTraffic {
    private RandomTraffic() {
    }

    static List<Event.Builder> visits(Random random, LocalDate firstDay, int days, int visitors) {
        String[] pages = {"/", "/pricing", "/docs", "/blog/a", "/blog/b", "/about"};
        String[] referrers = {null, "https://www.google.com/", "https://news.ycombinator.com/item?id=1", "https://t.co/x"};
        List<long[]> order = new ArrayList<>();
        List<Event.Builder> events = new ArrayList<>();
        for (int v = 0; v < visitors; v++) {
            int visits = 1 + random.nextInt(4);
            for (int k = 0; k < visits; k++) {
                // Start anywhere in the days; some visits start late in the evening and run past midnight.
                long t = firstDay.atStartOfDay(ZoneId.of("UTC")).toInstant().toEpochMilli() + (long) (random.nextDouble() * days * 86_400_000L);
                String referrer = referrers[random.nextInt(referrers.length)];
                int n = 1 + random.nextInt(7);
                for (int i = 0; i < n; i++) {
                    Event.Builder e;
                    int kind = random.nextInt(10);
                    if (i == 0 || kind < 5) {
                        e = TestEvents.pageview("v" + v, t, pages[random.nextInt(pages.length)]);
                        if (i == 0 && referrer != null) {
                            e.referrer(referrer);
                        }
                    } else if (kind < 7) {
                        e = TestEvents.event(EventType.CUSTOM, "v" + v, t).name(random.nextBoolean() ? "signup" : "play")
                                .url("https://example.com" + pages[random.nextInt(pages.length)]);
                        if (random.nextBoolean()) {
                            e.props(Map.of("plan", random.nextBoolean() ? "pro" : "free"));
                        }
                    } else if (kind < 8) {
                        e = TestEvents.event(EventType.FORM_SUBMIT, "v" + v, t).url("https://example.com/contact");
                    } else {
                        e = TestEvents.event(EventType.CLICK, "v" + v, t).url("https://example.com" + pages[random.nextInt(pages.length)]);
                    }
                    events.add(e);
                    order.add(new long[] {t, events.size() - 1});
                    if (i == 0 && k == 0 && v % 3 != 2) {
                        // The trait: "pro" for one visitor in three, "free" for another, changed to "free" later by half the "pro" ones.
                        events.add(TestEvents.event(EventType.IDENTIFY, "v" + v, t + 1).traits(Map.of("plan", v % 3 == 0 ? "pro" : "free")));
                        order.add(new long[] {t + 1, events.size() - 1});
                        if (v % 6 == 0) {
                            events.add(TestEvents.event(EventType.IDENTIFY, "v" + v, t + 2).traits(Map.of("plan", "free")));
                            order.add(new long[] {t + 2, events.size() - 1});
                        }
                    }
                    t += 60_000L * (1 + random.nextInt(25));
                }
            }
        }
        order.sort(Comparator.comparingLong((long[] o) -> o[0]).thenComparingLong(o -> o[1]));
        return order.stream().map(o -> events.get((int) o[1])).toList();
    }
}
