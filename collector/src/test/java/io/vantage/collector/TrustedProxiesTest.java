package io.vantage.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
    private final TrustedProxies proxies = TrustedProxies.parse("10.0.0.0/8, 192.168.1.5, fd00::/8");

    @Test
    void believesForwardedForOnlyFromATrustedProxy() {
        assertThat(proxies.clientAddress("10.1.2.3", "203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(proxies.clientAddress("192.168.1.5", "203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(proxies.clientAddress("fd00::1", "2001:db8::7")).isEqualTo("2001:db8::7");
        assertThat(proxies.clientAddress("198.51.100.1", "203.0.113.7")).as("a client cannot choose its address")
                .isEqualTo("198.51.100.1");
        assertThat(TrustedProxies.NONE.clientAddress("10.1.2.3", "203.0.113.7")).isEqualTo("10.1.2.3");
    }

    @Test
    void takesTheRightMostAddressThatIsNotAProxy() {
        // A client that forges a first entry, then a CDN hop, then our load balancer
        assertThat(proxies.clientAddress("10.0.0.2", "1.1.1.1, 203.0.113.7, 10.0.0.9")).isEqualTo("203.0.113.7");
        assertThat(proxies.clientAddress("10.0.0.2", "10.0.0.8, 10.0.0.9")).as("only proxies: the farthest").isEqualTo("10.0.0.8");
        assertThat(proxies.clientAddress("10.0.0.2", "evil.example, 10.0.0.9")).as("garbage stops the walk").isEqualTo("10.0.0.9");
        assertThat(proxies.clientAddress("10.0.0.2", "999.1.1.1, 10.0.0.9")).as("not an address, and never looked up")
                .isEqualTo("10.0.0.9");
    }

    @Test
    void refusesWhatIsNotAnAddressOrRange() {
        assertThatThrownBy(() -> TrustedProxies.parse("proxy.internal")).hasMessageContaining("proxy.internal");
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/33")).hasMessageContaining("0-32");
    }
}
