package io.vantage.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.Test;

/** The tracker and every ingestion route under a first-party path prefix, for sites that proxy them. */
class FirstPartyPathTest {
    @Test
    void theTrackerAndTheIngestionRoutesAreServedUnderThePrefixToo() {
        try (CollectorHarness c = new CollectorHarness(CollectorConfig.withSecret("cookieless-secret-0123456789").withPathPrefix("/t"),
                TimeMeter.SYSTEM_NANOTIME)) {
            String event = "{\"site\":\"example\",\"type\":\"pageview\",\"url\":\"https://example.com/\",\"visitor_id\":\"v\"}";
            // Under the prefix and at the root alike
            assertThat(c.http.get("/t/tracker.js").status()).isEqualTo(200);
            assertThat(c.http.get("/tracker.js").status()).isEqualTo(200);
            assertThat(c.http.post("/t/collect", event).status()).isEqualTo(202);
            assertThat(c.http.post("/collect", event).status()).isEqualTo(202);
            assertThat(c.http.post("/t/api/event", "{\"n\":\"pageview\",\"u\":\"https://example.com/p\",\"d\":\"example.com\"}").status())
                    .isEqualTo(202);
            assertThat(c.http.get("/t/matomo.php?idsite=example&rec=1&_id=a&url=https%3A%2F%2Fexample.com%2Fm").status()).isEqualTo(200);
            assertThat(c.sink.events).hasSize(4);
            // The admin's import stays where it is: the prefix is for what a page sends
            assertThat(c.admin.post("/t/api/import?site=example", "").status()).isEqualTo(404);
        }
    }

    @Test
    void aPrefixThatIsNotAPathIsRefusedAtStart() {
        for (String bad : new String[] {"t", "/t/", "/t?x", "/", "/a b"}) {
            assertThatThrownBy(() -> CollectorConfig.withSecret("cookieless-secret-0123456789").withPathPrefix(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
