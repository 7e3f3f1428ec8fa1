package io.vantage.api;

import static io.vantage.testing.TestEvents.at;
import static io.vantage.testing.TestEvents.event;
import static io.vantage.testing.TestEvents.pageview;

import io.vantage.model.Event;
import io.vantage.model.EventType;
import java.util.Map;

/** The hand-computed scenario of {@link MetricsTest}, shared with {@link SegmentsTest}; its Javadoc is in MetricsTest. */
final class Scenario {
    private Scenario() {
    }

    /** A harness on 2024-01-10 with the site "example" (UTC, goal "signup") and the scenario sent. */
    static MetricsHarness harness() {
        MetricsHarness h = new MetricsHarness(java.time.Instant.parse("2024-01-10T12:00:00Z")).site("example", "UTC", "signup");
        send(h);
        return h;
    }

    static void send(MetricsHarness h) {
        Event.Builder pricing = pageview("A", at("2024-01-01T10:10:00Z"), "/pricing").eventId("a-pricing");
        h.send(
                pageview("A", at("2024-01-01T10:00:00Z"), "/?utm_source=news&utm_medium=email&utm_campaign=jan")
                        .referrer("https://www.google.com/search?q=vantage"),
                pricing,
                pricing,
                event(EventType.CLICK, "A", at("2024-01-01T10:12:00Z")).x(1).y(2),
                event(EventType.CUSTOM, "A", at("2024-01-01T10:20:00Z")).name("signup"),
                pageview("A", at("2024-01-01T10:50:00Z"), "/blog"),
                pageview("A", at("2024-01-01T11:20:00.001Z"), "/docs"),
                event(EventType.IDENTIFY, "A", at("2024-01-01T11:21:00Z")).traits(Map.of("gender", "f")),
                pageview("B", at("2024-01-01T23:50:00Z"), "/").referrer("https://news.ycombinator.com/item?id=1"),
                pageview("B", at("2024-01-02T00:10:00Z"), "/about"),
                event(EventType.IDENTIFY, "B", at("2024-01-02T00:11:00Z")).traits(Map.of("gender", "m")),
                event(EventType.IDENTIFY, "B", at("2024-01-02T00:12:00Z")).traits(Map.of("gender", "f")),
                pageview("C", at("2024-01-02T09:00:00Z"), "/"),
                pageview("C", at("2024-01-02T10:00:00Z"), "/x"),
                pageview("C", at("2024-01-02T09:30:00Z"), "/late").receivedAt(at("2024-01-02T10:05:00Z")),
                event(EventType.FORM_SUBMIT, "E", at("2024-01-02T12:00:00Z")).formId("contact"),
                pageview("D", at("2024-01-01T12:00:00Z"), "/").client(io.vantage.testing.TestEvents.BOT));
    }
}
