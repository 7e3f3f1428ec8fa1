package io.vantage.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vantage.model.Event;
import io.vantage.model.EventType;
import io.vantage.model.Site;
import io.vantage.testing.TestHttp.Response;
import io.vantage.testing.WireCaptures;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Snowplow's tracker protocol as @snowplow/browser-tracker sends it (POST tp2 and GET /i), over real HTTP. */
class SnowplowEventsTest {
    private static final Instant CAPTURED = Instant.parse("2026-11-22T12:17:35Z");
    private CollectorHarness c;

    @BeforeEach
    void start() {
        c = new CollectorHarness(CAPTURED);
        c.sites.create(new Site("shop", "shop.example.com", "UTC", List.of("signup"), List.of(), 30, List.of()));
    }

    @AfterEach
    void stop() {
        c.close();
    }

    @Test
    void thePostOfTheBrowserTrackerIsAPageviewAStructuredAndASelfDescribingEvent() {
        // Given the POST @snowplow/browser-tracker 4.10.1 sent, with credentials from the shop's page
        JsonNode request = WireCaptures.load().of("@snowplow/browser-tracker@4.10.1 eventMethod=post").get(0);
        Response r = c.http.post("/com.snowplowanalytics.snowplow/tp2", request.get("body").get("text").asText(),
                "Content-Type", "application/json; charset=UTF-8", "Origin", "https://shop.example.com");

        // Then it is answered as Snowplow's collector does, and CORS names the origin and allows credentials
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.example.com");
        assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertMapped(c.sink.events);
    }

    @Test
    void theGetPixelsOfTheBrowserTrackerMapTheSameWayAndAnswerAGif() {
        for (JsonNode request : WireCaptures.load().of("@snowplow/browser-tracker@4.10.1 eventMethod=get")) {
            String url = request.get("url").asText();
            Response r = c.http.get(url.substring(url.indexOf("/i?")));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("image/gif");
        }
        assertMapped(c.sink.events);
    }

    private static void assertMapped(List<Event> events) {
        assertThat(events).hasSize(3);
        Event pv = events.get(0);
        assertThat(pv.site()).isEqualTo("shop");
        assertThat(pv.type()).isEqualTo(EventType.PAGEVIEW);
        assertThat(pv.path()).isEqualTo("/products/42");
        assertThat(pv.title()).isEqualTo("Test page");
        assertThat(pv.referrer()).isEqualTo("https://www.google.com/search?q=test");
        assertThat(pv.eventId()).matches("[0-9a-f-]{36}");
        // The device time, corrected for the device's clock by the time it waited (stm - dtm)
        assertThat(pv.ts()).isBetween(CAPTURED.toEpochMilli() - 60_000, CAPTURED.toEpochMilli());
        Event se = events.get(1);
        assertThat(se.type()).isEqualTo(EventType.CUSTOM);
        assertThat(se.name()).isEqualTo("add");
        assertThat(se.props()).isEqualTo(Map.of("category", "cart", "label", "sku-42", "property", "size-M", "value", "2"));
        Event ue = events.get(2);
        assertThat(ue.type()).isEqualTo(EventType.CUSTOM);
        assertThat(ue.name()).isEqualTo("signup");
        assertThat(ue.props()).isEqualTo(Map.of("plan", "pro"));
        // One browser: the domain user id (first-party cookie) is the visitor
        assertThat(events).extracting(Event::visitorId).containsOnly(pv.visitorId()).doesNotContainNull();
    }

    @Test
    void linkClicksAndFormsAreOursAndAnUnknownEventTypeIsRefusedNamingE() {
        String body = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4\",\"data\":["
                + "{\"e\":\"ue\",\"aid\":\"shop\",\"duid\":\"d\",\"url\":\"https://shop.example.com/a\",\"ue_pr\":\"{\\\"schema\\\":\\\"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0\\\",\\\"data\\\":{\\\"schema\\\":\\\"iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1\\\",\\\"data\\\":{\\\"targetUrl\\\":\\\"https://elsewhere.example/x\\\"}}}\"},"
                + "{\"e\":\"ue\",\"aid\":\"shop\",\"duid\":\"d\",\"url\":\"https://shop.example.com/a\",\"ue_pr\":\"{\\\"schema\\\":\\\"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0\\\",\\\"data\\\":{\\\"schema\\\":\\\"iglu:com.snowplowanalytics.snowplow/submit_form/jsonschema/1-0-0\\\",\\\"data\\\":{\\\"formId\\\":\\\"contact\\\"}}}\"}]}";
        assertThat(c.http.post("/com.snowplowanalytics.snowplow/tp2", body).status()).isEqualTo(200);
        assertThat(c.sink.events).extracting(Event::type).containsExactly(EventType.OUTBOUND, EventType.FORM_SUBMIT);

        Response refused = c.http.get("/i?e=tr&aid=shop&duid=d&url=https%3A%2F%2Fshop.example.com%2F");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("field").asText()).isEqualTo("e");
    }
}
