package io.vantage.processor.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.model.ClientFacts;
import io.vantage.model.Event;
import io.vantage.model.EventType;
import io.vantage.model.Site;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnrichmentStepsTest {
    private static final Site SITE = new Site("example", "example.com", "UTC", List.of(), "rk", 30, List.of());

    private static EnrichedEvent event(String url, String referrer) {
        return EnrichedEvent.of(Event.builder().site("example").type(EventType.PAGEVIEW).ts(0).visitorId("v").eventId("e")
                .url(url).referrer(referrer).build(), SITE);
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
        // from the referrer database: sources it names, by host or parent domain
        "https://x.com/someone/status/1, Twitter, x.com",
        "https://mail.google.com/mail/u/0/, Gmail, mail.google.com",
        "https://search.brave.com/search?q=x, Brave Search, search.brave.com",
        "https://bsky.app/profile/a, Bluesky, bsky.app",
        // not every one-letter host is Twitter, nor is every github.io page GitHub's (a public suffix)
        "https://t.me/channel, t.me, t.me",
        "https://someone.github.io/post, someone.github.io, someone.github.io",
        "https://x.example.net/, example.net, x.example.net",
    })
    void namesTheSourceOfAReferrer(String referrer, String source, String host) {
        EnrichedEvent e = kept(new ReferrerStep().apply(event("https://example.com/", referrer)));
        assertThat(e.source()).isEqualTo(source);
        assertThat(e.referrer()).isEqualTo(host);
    }

    @Test
    void sameSiteAndMissingReferrersAreDirect() {
        assertThat(kept(new ReferrerStep().apply(event("https://example.com/a", null))).source()).isEqualTo("Direct / None");
        assertThat(kept(new ReferrerStep().apply(event("https://example.com/a", "https://www.example.com/b"))).source())
                .isEqualTo("Direct / None");
        assertThat(kept(new ReferrerStep().apply(event("https://example.com/a", "https://docs.example.com/"))).referrer())
                .isNull();
    }

    @Test
    void readsUtmParametersFromThePageUrl() {
        EnrichedEvent e = kept(new UtmStep().apply(event("https://example.com/?utm_source=news%20letter&utm_medium=email&x=1&utm_campaign=spring#top",
                null)));
        assertThat(e.utmSource()).isEqualTo("news letter");
        assertThat(e.utmMedium()).isEqualTo("email");
        assertThat(e.utmCampaign()).isEqualTo("spring");
        assertThat(kept(new UtmStep().apply(event("https://example.com/", null))).utmSource()).isNull();
    }

    @Test
    void takesTheClientFactsTheCollectorDerivedAndDropsItsBots() {
        Event chrome = Event.builder().site("example").type(EventType.PAGEVIEW).ts(0).visitorId("v").eventId("e")
                .url("https://example.com/").client(new ClientFacts("Chrome", "Windows", "desktop", "US", false)).build();
        EnrichedEvent e = kept(Enrichment.standard().apply(EnrichedEvent.of(chrome, SITE)));
        assertThat(List.of(e.browser(), e.os(), e.device(), e.country())).containsExactly("Chrome", "Windows", "desktop", "US");

        Event bot = chrome.toBuilder().client(new ClientFacts("Googlebot", "Other", "desktop", "US", true)).build();
        assertThat(Enrichment.standard().apply(EnrichedEvent.of(bot, SITE))).isEqualTo(new EnrichmentStep.Drop("bot"));

        EnrichedEvent unknown = kept(Enrichment.standard().apply(event("https://example.com/", null)));
        assertThat(List.of(unknown.browser(), unknown.country())).as("a record without client facts")
                .containsExactly("Unknown", "Unknown");
    }
}
