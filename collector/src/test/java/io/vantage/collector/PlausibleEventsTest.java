package io.vantage.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.model.Event;
import io.vantage.model.EventType;
import io.vantage.testing.TestHttp.Response;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plausible's Events API at POST /api/event, as its script and SDKs send it, over real HTTP. */
class PlausibleEventsTest {
    private CollectorHarness c;

    @BeforeEach
    void start() {
        c = new CollectorHarness();
    }

    @AfterEach
    void stop() {
        c.close();
    }

    @Test
    void aPageviewOfTheScriptIsOurPageviewOfTheSiteOfThatDomain() {
        // Given the body plausible.js sends (text/plain, short names), for the site whose domain is example.com
        Response r = c.http.post("/api/event", "{\"n\":\"pageview\",\"u\":\"https://www.example.com/pricing?utm_source=news\","
                + "\"d\":\"www.example.com\",\"r\":\"https://www.google.com/\",\"w\":1280,\"h\":0}", "Content-Type", "text/plain");

        // Then it answers as Plausible does, and the event is ours in every field
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.body()).isEqualTo("ok");
        assertThat(c.sink.events).hasSize(1);
        Event e = c.sink.events.get(0);
        assertThat(e.site()).isEqualTo("example");
        assertThat(e.type()).isEqualTo(EventType.PAGEVIEW);
        assertThat(e.path()).isEqualTo("/pricing");
        assertThat(e.referrer()).isEqualTo("https://www.google.com/");
        assertThat(e.visitorId()).as("no id from Plausible: the daily cookieless hash, as Plausible counts").isNotBlank();
    }

    @Test
    void customEventsKeepTheirStringPropsAndRevenueAndEngagementCarriesTimeAndScrollDepth() {
        c.http.post("/api/event", "{\"name\":\"Signup\",\"url\":\"https://example.com/join\",\"domain\":\"example\","
                + "\"props\":\"{\\\"plan\\\":\\\"pro\\\",\\\"seats\\\":3,\\\"tags\\\":[\\\"x\\\"]}\","
                + "\"$\":\"{\\\"amount\\\":\\\"12.50\\\",\\\"currency\\\":\\\"EUR\\\"}\"}", "Content-Type", "application/json");
        c.http.post("/api/event", "{\"n\":\"engagement\",\"u\":\"https://example.com/join\",\"d\":\"example.com\",\"sd\":80,\"e\":12500}");

        assertThat(c.sink.events).hasSize(2);
        Event custom = c.sink.events.get(0);
        assertThat(custom.type()).isEqualTo(EventType.CUSTOM);
        assertThat(custom.name()).isEqualTo("Signup");
        assertThat(custom.props()).as("scalars as text, lists left out, revenue as two props")
                .isEqualTo(Map.of("plan", "pro", "seats", "3", "revenue_amount", "12.50", "revenue_currency", "EUR"));
        Event engagement = c.sink.events.get(1);
        assertThat(engagement.type()).isEqualTo(EventType.ENGAGEMENT);
        assertThat(engagement.engagedMs()).isEqualTo(12_500L);
        assertThat(engagement.scrollPct()).isEqualTo(80);
    }

    @Test
    void aRollupDomainListCountsInEachSiteItNames() {
        c.http.post("/api/event", "{\"n\":\"pageview\",\"u\":\"https://example.com/\",\"d\":\"example.com,locked.com\"}",
                "Origin", "https://locked.com");

        assertThat(c.sink.events).extracting(Event::site).containsExactly("example", "locked");
    }

    @Test
    void badInputIsA400NamingPlausiblesFieldAndIsKeptAsABadEvent() {
        Response noName = c.http.post("/api/event", "{\"u\":\"https://example.com/\",\"d\":\"example.com\"}");
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().get("field").asText()).isEqualTo("n");
        assertThat(noName.json().get("errors").has("n")).isTrue();

        Response unknown = c.http.post("/api/event", "{\"n\":\"pageview\",\"u\":\"https://nobody.org/\",\"d\":\"nobody.org\"}");
        assertThat(unknown.status()).as("as /collect answers a site it does not know").isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).isEqualTo("unknown_site");

        Response garbage = c.http.post("/api/event", "{nope");
        assertThat(garbage.status()).isEqualTo(400);

        assertThat(c.sink.events).isEmpty();
        assertThat(c.sink.bad).hasSize(3);
    }
}
