package io.vantage.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vantage.model.Event;
import io.vantage.model.EventType;
import io.vantage.model.Site;
import io.vantage.testing.TestHttp.Response;
import io.vantage.testing.WireCaptures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PostHog's capture API as posthog-js and PostHog's SDKs send it, over real HTTP. */
class PostHogEventsTest {
    /** When the captured requests were made. */
    private static final Instant CAPTURED = Instant.parse("2026-11-22T12:17:40Z");
    private CollectorHarness c;

    @BeforeEach
    void start() {
        c = new CollectorHarness(CAPTURED);
        // A site that answers to the PostHog project key the tracker was given
        c.sites.create(new Site("shop", "shop.example.com", "UTC", List.of("signup"), List.of(), 30, List.of(), 0,
                List.of("phc_testtoken123")));
    }

    @AfterEach
    void stop() {
        c.close();
    }

    @Test
    void theGzipBatchesOfPosthogJsArePageviewsAndCustomEventsOfTheSiteTheProjectKeyNames() {
        // Given the two requests posthog-js 1.449.2 sent: gzip bodies as text/plain, a pageview and a custom event
        for (JsonNode request : WireCaptures.load().of("posthog-js")) {
            byte[] body = Base64.getDecoder().decode(request.get("body").get("b64").asText());
            Response r = c.http.post("/e/?compression=gzip-js", body, "Content-Type", "text/plain");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("status").asInt()).isEqualTo(1);
        }

        // Then both are events of the site, by the browser's device id, with PostHog's ids
        assertThat(c.sink.events).hasSize(2);
        Event pageview = c.sink.events.get(0);
        assertThat(pageview.site()).isEqualTo("shop");
        assertThat(pageview.type()).isEqualTo(EventType.PAGEVIEW);
        assertThat(pageview.path()).isEqualTo("/products/42");
        assertThat(pageview.referrer()).isEqualTo("https://www.google.com/search?q=test");
        assertThat(pageview.title()).isEqualTo("Test page");
        assertThat(pageview.visitorId()).isEqualTo("01a20330-ca32-7940-bca1-d74300e2a478");
        assertThat(pageview.eventId()).isEqualTo("01a20330-ca6c-737c-8675-d39e6b79e398");
        // The event time corrected for the browser's clock: the server's receipt less the time it waited (sent_at - timestamp)
        JsonNode first = WireCaptures.load().of("posthog-js").get(0).get("body").get("decoded_gzip_json");
        long waited = Instant.parse(first.get("sent_at").asText()).toEpochMilli() - Instant.parse("2026-11-22T12:17:38.924Z").toEpochMilli();
        assertThat(pageview.ts()).isEqualTo(CAPTURED.toEpochMilli() - waited);
        Event signup = c.sink.events.get(1);
        assertThat(signup.type()).isEqualTo(EventType.CUSTOM);
        assertThat(signup.name()).isEqualTo("signup");
        // Only the event's own properties: not PostHog's ($...), campaign parameters or the token
        assertThat(signup.props()).isEqualTo(Map.of("plan", "pro"));
        assertThat(signup.visitorId()).isEqualTo(pageview.visitorId());
    }

    @Test
    void identifyAutocapturePageleaveAndBookkeepingMapOntoOurTypes() throws IOException {
        // Given a JSON batch as an SDK sends it, and the same as a base64 form, as older SDKs do
        String batch = "{\"api_key\":\"phc_testtoken123\",\"batch\":["
                + "{\"event\":\"$identify\",\"distinct_id\":\"user-7\",\"properties\":{\"$device_id\":\"d1\",\"$current_url\":\"https://shop.example.com/\","
                + "\"$set\":{\"gender\":\"female\",\"tags\":[1]}}},"
                + "{\"event\":\"$autocapture\",\"distinct_id\":\"user-7\",\"properties\":{\"$device_id\":\"d1\",\"$event_type\":\"submit\","
                + "\"$current_url\":\"https://shop.example.com/contact\"}},"
                + "{\"event\":\"$pageleave\",\"distinct_id\":\"user-7\",\"properties\":{\"$device_id\":\"d1\",\"$current_url\":\"https://shop.example.com/contact\"}},"
                + "{\"event\":\"$feature_flag_called\",\"distinct_id\":\"user-7\",\"properties\":{\"$device_id\":\"d1\"}}]}";
        assertThat(c.http.post("/batch/", batch, "Content-Type", "application/json").status()).isEqualTo(200);
        String form = "data=" + java.net.URLEncoder.encode(Base64.getEncoder().encodeToString(gzip(
                "{\"event\":\"$pageview\",\"properties\":{\"token\":\"phc_testtoken123\",\"distinct_id\":\"d2\",\"$current_url\":\"https://shop.example.com/b\"}}")),
                StandardCharsets.UTF_8) + "&compression=gzip-js";
        assertThat(c.http.post("/capture/", form, "Content-Type", "application/x-www-form-urlencoded").status()).isEqualTo(200);

        // Then identify carries its $set as traits (scalars), a submit is a form submission, a page leave an engagement,
        // and PostHog's own bookkeeping is not an event
        assertThat(c.sink.events).extracting(Event::type).containsExactly(EventType.IDENTIFY, EventType.FORM_SUBMIT,
                EventType.ENGAGEMENT, EventType.PAGEVIEW);
        assertThat(c.sink.events.get(0).traits()).isEqualTo(Map.of("gender", "female"));
        assertThat(c.sink.events.get(0).visitorId()).isEqualTo("d1");
        assertThat(c.sink.events.get(3).visitorId()).isEqualTo("d2");
        assertThat(c.sink.events.get(3).path()).isEqualTo("/b");
    }

    @Test
    void refusalsNamePosthogsFieldsAndStartUpCallsGetAnAnswer() throws IOException {
        // An event without a name, an unknown project key, and a gzip body that inflates past the limit
        Response noName = c.http.post("/e/", "{\"api_key\":\"phc_testtoken123\",\"properties\":{\"distinct_id\":\"x\"}}");
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().get("field").asText()).isEqualTo("event");
        Response unknown = c.http.post("/e/", "{\"api_key\":\"phc_nobody\",\"event\":\"$pageview\",\"properties\":{\"distinct_id\":\"x\","
                + "\"$current_url\":\"https://nowhere.example/\"}}");
        assertThat(unknown.status()).isBetween(400, 404);
        assertThat(c.sink.bad).isNotEmpty();
        Response badForm = c.http.post("/capture/", "data=%zz", "Content-Type", "application/x-www-form-urlencoded");
        assertThat(badForm.status()).isEqualTo(400);
        assertThat(badForm.json().get("field").asText()).isEqualTo("data");
        byte[] bomb = gzip("[" + "1,".repeat(200_000) + "1]");
        assertThat(c.http.post("/e/?compression=gzip-js", bomb).status()).isEqualTo(413);

        // And the SDKs' configuration calls are answered: no flags, gzip supported
        Response decide = c.http.post("/decide/?v=3", "{\"token\":\"phc_testtoken123\",\"distinct_id\":\"x\"}");
        assertThat(decide.status()).isEqualTo(200);
        assertThat(decide.json().get("featureFlags").isEmpty()).isTrue();
        assertThat(decide.json().get("supportedCompression").get(0).asText()).isEqualTo("gzip-js");
        assertThat(c.http.post("/flags/?v=2", "{}").json().get("flags").isEmpty()).isTrue();
    }

    private static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
