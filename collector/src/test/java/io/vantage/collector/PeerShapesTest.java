package io.vantage.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.model.BadEvent;
import io.vantage.model.Site;
import io.vantage.testing.TestHttp.Response;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A peer's body that is JSON but not of the peer's shape is refused whole with a 400 naming the
 * peer's own field (never a field of ours the sender did not write), and kept as a bad event.
 */
class PeerShapesTest {
    private CollectorHarness c;

    @BeforeEach
    void start() {
        c = new CollectorHarness();
        c.sites.create(new Site("shop", "shop.example.com", "UTC", List.of(), List.of(), 30, List.of(), 0, List.of("G-ABC123")));
    }

    @AfterEach
    void stop() {
        c.close();
    }

    @Test
    void eachPeersBodyOfTheWrongShapeNamesThePeersField() {
        // Given, for each peer route, a JSON body whose structure is not the peer's: path, body, the field to be named
        String[][] cases = {
            {"/mp/collect?measurement_id=G-ABC123&api_secret=x", "{\"client_id\":\"1.2\",\"events\":\"nope\"}", "events"},
            {"/mp/collect?measurement_id=G-ABC123&api_secret=x", "[{\"name\":\"page_view\"}]", "body"},
            {"/api/send", "{\"type\":\"event\",\"payload\":\"x\"}", "payload"},
            {"/api/send", "\"just text\"", "body"},
            {"/com.snowplowanalytics.snowplow/tp2", "{\"schema\":\"iglu:x\",\"data\":{}}", "data"},
            {"/batch", "{\"api_key\":\"phc_x\",\"batch\":{}}", "batch"},
            {"/e", "42", "body"},
            {"/api/event", "[{\"name\":\"pageview\"}]", "body"},
            {"/matomo.php", "{\"requests\":\"?idsite=1&rec=1\"}", "requests"},
        };
        for (String[] k : cases) {
            int badBefore = c.sink.bad.size();

            // When it is sent as the peer's tracker would
            Response r = c.http.post(k[0], k[1], "Content-Type", "application/json");

            // Then it is a 400 naming that field, in our error shape and in Plausible's errors object, and nothing is counted
            assertThat(r.status()).as(k[0] + " " + k[1]).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("invalid_field");
            assertThat(r.json().get("field").asText()).as(k[0] + " " + k[1]).isEqualTo(k[2]);
            assertThat(r.json().get("message").asText()).as(k[0]).startsWith("must be");
            assertThat(r.json().path("errors").has(k[2])).isTrue();
            // And the body is kept as a bad event with the same field and its raw text
            assertThat(c.sink.bad).hasSize(badBefore + 1);
            BadEvent bad = c.sink.bad.get(badBefore);
            assertThat(bad.field()).isEqualTo(k[2]);
            assertThat(bad.raw()).isEqualTo(k[1]);
        }
        assertThat(c.sink.events).isEmpty();
    }

    @Test
    void aBodyThatIsNotJsonOrEmptyIsStillRefusedAsUnparseable() {
        Response r = c.http.post("/mp/collect?measurement_id=G-ABC123", "{not json", "Content-Type", "application/json");
        Response empty = c.http.post("/api/event", "  ", "Content-Type", "application/json");

        assertThat(r.status()).isEqualTo(400);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("error").asText()).isEqualTo("invalid_json");
        assertThat(c.sink.bad).extracting(BadEvent::reason).containsExactly("unparseable", "unparseable");
    }
}
