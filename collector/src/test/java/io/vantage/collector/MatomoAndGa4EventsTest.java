package io.vantage.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.model.Event;
import io.vantage.model.EventType;
import io.vantage.model.Site;
import io.vantage.testing.TestHttp.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Matomo's tracking API and GA4's Measurement Protocol, from the requests their documentation
 * shows (matomo.js's image and POST requests, the bulk form; a Measurement Protocol body), over real HTTP.
 */
class MatomoAndGa4EventsTest {
    private CollectorHarness c;

    @BeforeEach
    void start() {
        c = new CollectorHarness();
        // Matomo knows the site as idsite 3, GA4 as its measurement id
        c.sites.create(new Site("shop", "shop.example.com", "UTC", List.of("goal_1"), List.of(), 30, List.of(), 0,
                List.of("3", "G-ABC123")));
    }

    @AfterEach
    void stop() {
        c.close();
    }

    @Test
    void matomoPageviewsEventsLinksDownloadsGoalsAndPingsMapOntoOurTypes() {
        String base = "idsite=3&rec=1&_id=0123456789abcdef&url=https%3A%2F%2Fshop.example.com%2Fpricing%3Futm_source%3Dnews";
        // A page view as matomo.js's image request, answered with a GIF
        Response pv = c.http.get("/matomo.php?" + base + "&action_name=Pricing&urlref=https%3A%2F%2Fwww.bing.com%2F&res=1920x1080&pv_id=aBc123");
        assertThat(pv.status()).isEqualTo(200);
        assertThat(pv.headers().firstValue("Content-Type").orElse("")).startsWith("image/gif");
        // An event, an outbound link and a download as POST form bodies (send_image=0: 204), a goal and a heartbeat
        for (String extra : List.of("&e_c=Videos&e_a=Play&e_n=Tour&e_v=3", "&link=https%3A%2F%2Felsewhere.example%2F",
                "&download=https%3A%2F%2Fshop.example.com%2Fb.pdf", "&idgoal=1&revenue=9.5", "&ping=1")) {
            Response r = c.http.post("/matomo.php?send_image=0", base + extra, "Content-Type", "application/x-www-form-urlencoded");
            assertThat(r.status()).as(extra).isEqualTo(204);
        }
        // A request without rec=1 is not a tracking request: answered, nothing counted
        assertThat(c.http.get("/piwik.php?idsite=3&url=https%3A%2F%2Fshop.example.com%2F").status()).isEqualTo(200);

        assertThat(c.sink.events).extracting(Event::type).containsExactly(EventType.PAGEVIEW, EventType.CUSTOM, EventType.OUTBOUND,
                EventType.DOWNLOAD, EventType.CUSTOM, EventType.ENGAGEMENT);
        Event first = c.sink.events.get(0);
        assertThat(first.site()).isEqualTo("shop");
        assertThat(first.path()).isEqualTo("/pricing");
        assertThat(first.title()).isEqualTo("Pricing");
        assertThat(first.referrer()).isEqualTo("https://www.bing.com/");
        assertThat(first.visitorId()).isEqualTo("0123456789abcdef");
        assertThat(c.sink.events.get(1).name()).isEqualTo("Play");
        assertThat(c.sink.events.get(1).props()).isEqualTo(Map.of("category", "Videos", "label", "Tour", "value", "3"));
        assertThat(c.sink.events.get(2).target()).isEqualTo("https://elsewhere.example/");
        assertThat(c.sink.events.get(4).name()).isEqualTo("goal_1");
        assertThat(c.sink.events).extracting(Event::visitorId).containsOnly("0123456789abcdef");
    }

    @Test
    void matomoBulkRequestsAreCountedAndAnsweredAsMatomoDoes() {
        Response r = c.http.post("/matomo.php", "{\"requests\":[\"?idsite=3&rec=1&_id=aaaaaaaaaaaaaaaa&url=https%3A%2F%2Fshop.example.com%2Fa"
                + "&cdt=1709294400\",\"?idsite=3&rec=1&_id=aaaaaaaaaaaaaaaa&url=https%3A%2F%2Fshop.example.com%2Fb\"]}",
                "Content-Type", "application/json");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("tracked").asInt()).isEqualTo(2);
        assertThat(c.sink.events).extracting(Event::path).containsExactly("/a", "/b");
        // cdt in Unix seconds is the event time
        assertThat(c.sink.events.get(0).ts()).isEqualTo(1709294400_000L);

        Response farFuture = c.http.get("/matomo.php?idsite=3&rec=1&_id=a&url=https%3A%2F%2Fshop.example.com%2F&cdt=%2B999999999-12-31%2000%3A00%3A00");
        assertThat(farFuture.status()).isEqualTo(400);
        assertThat(farFuture.json().get("field").asText()).isEqualTo("cdt");

        Response refused = c.http.get("/matomo.php?idsite=99&rec=1&_id=a&url=https%3A%2F%2Fnowhere.example%2F");
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.json().get("error").asText()).isEqualTo("unknown_site");
        assertThat(c.sink.bad).extracting(b -> b.reason()).contains("unknown_site");
    }

    @Test
    void ga4MeasurementProtocolEventsAndUserPropertiesMapOntoOursWithoutItsSessionBookkeeping() {
        Response r = c.http.post("/mp/collect?measurement_id=G-ABC123&api_secret=s3cr3t", "{\"client_id\":\"123.456\","
                + "\"user_properties\":{\"gender\":{\"value\":\"female\"}},\"events\":["
                + "{\"name\":\"session_start\",\"params\":{\"session_id\":\"1\"}},"
                + "{\"name\":\"page_view\",\"params\":{\"page_location\":\"https://shop.example.com/p?utm_medium=email\",\"page_title\":\"P\","
                + "\"page_referrer\":\"https://news.example/\",\"session_id\":\"1\",\"engagement_time_msec\":100}},"
                + "{\"name\":\"sign_up\",\"params\":{\"method\":\"Google\",\"session_id\":\"1\",\"items\":[1]}},"
                + "{\"name\":\"user_engagement\",\"params\":{\"engagement_time_msec\":1500}}]}", "Content-Type", "application/json");

        assertThat(r.status()).as(r.body()).isEqualTo(204);
        assertThat(c.sink.events).extracting(Event::type).containsExactly(EventType.PAGEVIEW, EventType.CUSTOM, EventType.ENGAGEMENT,
                EventType.IDENTIFY);
        Event pv = c.sink.events.get(0);
        assertThat(pv.site()).isEqualTo("shop");
        assertThat(pv.visitorId()).isEqualTo("123.456");
        assertThat(pv.title()).isEqualTo("P");
        assertThat(c.sink.events.get(1).name()).isEqualTo("sign_up");
        assertThat(c.sink.events.get(1).props()).isEqualTo(Map.of("method", "Google"));
        assertThat(c.sink.events.get(2).engagedMs()).isEqualTo(1500L);
        assertThat(c.sink.events.get(3).traits()).isEqualTo(Map.of("gender", "female"));

        Response badTime = c.http.post("/mp/collect?measurement_id=G-ABC123", "{\"client_id\":\"1\",\"timestamp_micros\":\"9999999999999999999\","
                + "\"events\":[{\"name\":\"page_view\",\"params\":{\"page_location\":\"https://shop.example.com/\"}}]}");
        assertThat(badTime.status()).isEqualTo(400);
        assertThat(badTime.json().get("field").asText()).isEqualTo("timestamp_micros");
        Response noEvents = c.http.post("/mp/collect?measurement_id=G-ABC123", "{\"client_id\":\"1\",\"events\":[{\"params\":{}}]}");
        assertThat(noEvents.status()).isEqualTo(400);
        assertThat(noEvents.json().get("field").asText()).isEqualTo("events[].name");
    }
}
