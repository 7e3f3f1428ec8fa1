package io.vantage.collector.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.model.ClientFacts;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientClassifierTest {
    private static final ClientClassifier CLIENTS = ClientClassifier.standard();

    @Test
    void classifiesBrowserOsAndDevice() {
        ClientFacts desktop = CLIENTS.classify(null,
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36");
        assertThat(List.of(desktop.browser(), desktop.os(), desktop.device())).containsExactly("Chrome", "Windows", "desktop");
        ClientFacts phone = CLIENTS.classify(null,
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1");
        assertThat(List.of(phone.browser(), phone.os(), phone.device())).containsExactly("Mobile Safari", "iOS", "mobile");
        assertThat(CLIENTS.classify(null, "Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15").device())
                .isEqualTo("tablet");
        assertThat(CLIENTS.classify(null, null)).isEqualTo(ClientFacts.NONE);
    }

    @Test
    void tellsBotsByTheIsbotList() {
        assertThat(CLIENTS.classify(null, "Googlebot/2.1 (+http://www.google.com/bot.html)").bot()).isTrue();
        assertThat(CLIENTS.classify(null, "curl/8.4.0").bot()).isTrue();
        assertThat(CLIENTS.classify(null, "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0").bot()).isFalse();
        assertThat(CLIENTS.classify(null, null).bot()).as("no User-Agent (server-side import)").isFalse();
    }

    @Test
    void findsTheCountryOfAnAddress() {
        Countries countries = Countries.fromBundledDatabase();
        assertThat(countries.country("8.8.8.8")).isEqualTo("US");
        assertThat(countries.country("127.0.0.1")).isEqualTo("Unknown");
        assertThat(countries.country("piweba3y.prodigy.com")).as("a log's host name").isEqualTo("Unknown");
        assertThat(new Countries(null).country("8.8.8.8")).as("without a database").isEqualTo("Unknown");
        assertThat(CLIENTS.classify("8.8.8.8", null).country()).isEqualTo("US");
    }
}
