package io.vantage.processor.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.model.Event;
import io.vantage.model.EventType;
import io.vantage.model.Site;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnrichmentStepsTest {
    private static final Site SITE = new Site("example", "example.com", "UTC", List.of(), "rk", 30, List.of());

    private static EnrichedEvent event(String url, String referrer, String userAgent, String ip) {
        return EnrichedEvent.of(Event.builder().site("example").type(EventType.PAGEVIEW).ts(0).visitorId("v").eventId("e")
                .url(url).referrer(referrer).userAgent(userAgent).ip(ip).build(), SITE);
    }

    private static EnrichedEvent kept(EnrichmentStep.Outcome outcome) {
        assertThat(outcome).isInstanceOf(EnrichmentStep.Keep.class);
        return ((EnrichmentStep.Keep) outcome).event();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "https://www.google.com/search?q=x, Google, google.com",
        "https://www.google.co.uk/, Google, google.co.uk",
        "https://duckduckgo.com/, DuckDuckGo, duckduckgo.com",
        "https://l.facebook.com/l.php, Facebook, l.facebook.com",
        "https://t.co/abc, Twitter, t.co",
        "https://news.ycombinator.com/item?id=1, Hacker News, news.ycombinator.com",
        "https://blog.example.org/post, example.org, blog.example.org",
        "https://shop.example.co.uk/, example.co.uk, shop.example.co.uk",
    })
    void namesTheSourceOfAReferrer(String referrer, String source, String host) {
        EnrichedEvent e = kept(new ReferrerStep().apply(event("https://example.com/", referrer, null, null)));
        assertThat(e.source()).isEqualTo(source);
        assertThat(e.referrer()).isEqualTo(host);
    }

    @Test
    void sameSiteAndMissingReferrersAreDirect() {
        assertThat(kept(new ReferrerStep().apply(event("https://example.com/a", null, null, null))).source()).isEqualTo("Direct / None");
        assertThat(kept(new ReferrerStep().apply(event("https://example.com/a", "https://www.example.com/b", null, null))).source())
                .isEqualTo("Direct / None");
        assertThat(kept(new ReferrerStep().apply(event("https://example.com/a", "https://docs.example.com/", null, null))).referrer())
                .isNull();
    }

    @Test
    void readsUtmParametersFromThePageUrl() {
        EnrichedEvent e = kept(new UtmStep().apply(event("https://example.com/?utm_source=news%20letter&utm_medium=email&x=1&utm_campaign=spring#top",
                null, null, null)));
        assertThat(e.utmSource()).isEqualTo("news letter");
        assertThat(e.utmMedium()).isEqualTo("email");
        assertThat(e.utmCampaign()).isEqualTo("spring");
        assertThat(kept(new UtmStep().apply(event("https://example.com/", null, null, null))).utmSource()).isNull();
    }

    @Test
    void classifiesBrowserOsAndDevice() {
        UserAgentStep step = new UserAgentStep();
        EnrichedEvent desktop = kept(step.apply(event("https://example.com/", null,
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", null)));
        assertThat(List.of(desktop.browser(), desktop.os(), desktop.device())).containsExactly("Chrome", "Windows", "desktop");
        EnrichedEvent phone = kept(step.apply(event("https://example.com/", null,
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1", null)));
        assertThat(List.of(phone.browser(), phone.os(), phone.device())).containsExactly("Mobile Safari", "iOS", "mobile");
        EnrichedEvent tablet = kept(step.apply(event("https://example.com/", null,
                "Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15", null)));
        assertThat(tablet.device()).isEqualTo("tablet");
    }

    @Test
    void dropsBotsByTheIsbotList() {
        BotFilter bots = BotFilter.fromBundledPatterns();
        assertThat(bots.apply(event("https://example.com/", null, "Googlebot/2.1 (+http://www.google.com/bot.html)", null)))
                .isEqualTo(new EnrichmentStep.Drop("bot"));
        assertThat(bots.apply(event("https://example.com/", null, "curl/8.4.0", null))).isInstanceOf(EnrichmentStep.Drop.class);
        assertThat(bots.apply(event("https://example.com/", null,
                "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0", null))).isInstanceOf(EnrichmentStep.Keep.class);
        assertThat(bots.apply(event("https://example.com/", null, null, null))).as("no User-Agent (server-side import)")
                .isInstanceOf(EnrichmentStep.Keep.class);
    }

    @Test
    void findsTheCountryOfAnIpAndForgetsTheIp() {
        GeoStep geo = GeoStep.fromBundledDatabase();
        assertThat(geo.country("8.8.8.8")).isEqualTo("US");
        assertThat(geo.country("127.0.0.1")).isEqualTo("Unknown");
        assertThat(geo.country("not-an-ip.example")).isEqualTo("Unknown");
        assertThat(new GeoStep(null).country("8.8.8.8")).as("without a database").isEqualTo("Unknown");

        EnrichmentStep.Outcome out = Enrichment.standard().apply(event("https://example.com/", null,
                "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0", "8.8.8.8"));
        EnrichedEvent e = kept(out);
        assertThat(e.country()).isEqualTo("US");
        assertThat(e.event().ip()).isNull();
        assertThat(e.event().userAgent()).isNull();
    }
}
