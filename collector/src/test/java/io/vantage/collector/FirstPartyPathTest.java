package io.vantage.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bucket4j.TimeMeter;
import io.vantage.testing.TestHttp;
import org.junit.jupiter.api.Test;

/** The tracker and every ingestion route under a first-party path prefix, for sites that proxy them. */
class FirstPartyPathTest {
    @Test
    void theTrackerAndTheIngestionRoutesAreServedUnderThePrefixToo() {
        try (CollectorHarness c = new CollectorHarness(CollectorConfig.withSecret("cookieless-secret-0123456789").withPathPrefix("/t"),
                TimeMeter.SYSTEM_NANOTIME)) {
            String event = "{\"site\":\"example\",\"type\":\"pageview\",\"url\":\"https://example.com/\",\"visitor_id\":\"v\"}";
            // Under the prefix and at the root alike
            // the script under the prefix names the prefix as its collector, unless the page names one
            TestHttp.Response script = c.http.get("/t/tracker.js");
            assertThat(script.status()).isEqualTo(200);
            assertThat(script.body()).startsWith("(function(s){if(s&&!s.getAttribute('data-api'))s.setAttribute('data-api',new URL('/t',s.src)");
            assertThat(c.http.get("/tracker.js").body()).doesNotContain("new URL('/t'");
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
        for (String bad : new String[] {"t", "/t/", "/t?x", "/", "/a b", "/api", "/api/x", "/internal", "/..", "/t/.", "/e"}) {
            assertThatThrownBy(() -> CollectorConfig.withSecret("cookieless-secret-0123456789").withPathPrefix(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
