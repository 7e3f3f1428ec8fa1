package io.vantage.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.model.Event;
import io.vantage.model.EventType;
import io.vantage.testing.TestHttp.Response;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Umami's collect API at POST /api/send and /api/batch, as its tracker and SDKs send it, over real HTTP. */
class UmamiEventsTest {
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
    void thePageviewOfTheTrackerIsOurPageviewAndTheAnswerCarriesACacheToken() {
        // Given what umami's script sends: a website id it was given (here the site's own id) and the path apart from the host
        Response r = c.http.post("/api/send", "{\"type\":\"event\",\"payload\":{\"website\":\"example\",\"hostname\":\"example.com\","
                + "\"screen\":\"1920x1080\",\"language\":\"en-US\",\"title\":\"Pricing\",\"url\":\"/pricing?utm_campaign=spring\","
                + "\"referrer\":\"https://news.ycombinator.com/\"}}", "Content-Type", "application/json");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("cache").asText()).hasSizeGreaterThan(16);
        Event e = c.sink.events.get(0);
        assertThat(e.site()).isEqualTo("example");
        assertThat(e.type()).isEqualTo(EventType.PAGEVIEW);
        assertThat(e.path()).isEqualTo("/pricing");
        assertThat(e.title()).isEqualTo("Pricing");
        assertThat(e.referrer()).isEqualTo("https://news.ycombinator.com/");
    }

    @Test
    void namedEventsIdentifyAndBatchesMapOntoOurTypesWithTheirData() {
        // Given a website id Vantage does not know, the host name finds the site (by its domain)
        Response r = c.http.post("/api/batch", "[{\"type\":\"event\",\"payload\":{\"website\":\"2f1d7c3e-0000-4000-8000-000000000001\","
                + "\"hostname\":\"www.example.com\",\"url\":\"/join\",\"name\":\"signup\",\"data\":{\"plan\":\"pro\",\"seats\":3,\"x\":[1]}}},"
                + "{\"type\":\"identify\",\"payload\":{\"website\":\"example\",\"url\":\"/join\",\"hostname\":\"example.com\",\"id\":\"user-42\","
                + "\"data\":{\"gender\":\"female\"}}}]");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("size").asInt()).isEqualTo(2);
        Event custom = c.sink.events.get(0);
        assertThat(custom.site()).isEqualTo("example");
        assertThat(custom.type()).isEqualTo(EventType.CUSTOM);
        assertThat(custom.name()).isEqualTo("signup");
        assertThat(custom.props()).isEqualTo(Map.of("plan", "pro", "seats", "3"));
        Event identify = c.sink.events.get(1);
        assertThat(identify.type()).isEqualTo(EventType.IDENTIFY);
        assertThat(identify.visitorId()).isEqualTo("user-42");
        assertThat(identify.traits()).isEqualTo(Map.of("gender", "female"));
    }

    @Test
    void badInputIsA400NamingUmamisFieldAndIsKeptAsABadEvent() {
        Response noUrl = c.http.post("/api/send", "{\"type\":\"event\",\"payload\":{\"website\":\"example\"}}");
        assertThat(noUrl.status()).isEqualTo(400);
        assertThat(noUrl.json().get("field").asText()).isEqualTo("payload.url");

        Response badType = c.http.post("/api/send", "{\"type\":\"pageleave\",\"payload\":{\"website\":\"example\",\"url\":\"/\","
                + "\"hostname\":\"example.com\"}}");
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.json().get("field").asText()).isEqualTo("type");

        assertThat(c.http.options("/api/send", "Origin", "https://example.com", "Access-Control-Request-Headers", "x-umami-cache")
                .header("Access-Control-Allow-Headers")).contains("x-umami-cache");
        assertThat(c.sink.events).isEmpty();
        assertThat(c.sink.bad).hasSize(2);
    }
}
