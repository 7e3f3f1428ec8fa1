package io.vantage.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BadEventTest {
    @Test
    void redactsClientFieldsAndAddressesFromRawAndMessage() {
        // Given an import line that names its client, and a message that quotes an address
        String line = "{\"type\":\"pageview\",\"ip\":\"piweba3y.prodigy.com\",\"user_agent\":\"Mozilla/5.0 (X11) Firefox/120.0\","
                + "\"url\":\"http://203.0.113.7/x\",\"ts\":\"12:30:45\",\"note\":\"2001:db8::1 and fe80:0:0:0:0:0:0:1\"}";

        BadEvent bad = new BadEvent("invalid_field", "ts", "not a time, from 198.51.100.2", line, "s", 0, "collector");

        // Then neither the host, the User-Agent nor any address is left; times are kept
        assertThat(bad.raw()).doesNotContain("prodigy").doesNotContain("Firefox").doesNotContain("203.0.113.7")
                .doesNotContain("2001:db8").doesNotContain("fe80").contains("12:30:45").contains("\"ip\":\"[redacted]\"");
        assertThat(bad.message()).isEqualTo("not a time, from [redacted]");
    }

    @Test
    void redactsUnquotedAndUnterminatedClientValues() {
        assertThat(BadEvent.redact("{\"ip\": 3232235777, \"user_agent\":\"curl/8")).doesNotContain("3232235777").doesNotContain("curl");
    }

    @Test
    void capsTheRawInput() {
        BadEvent bad = new BadEvent("unparseable", null, "x", "a".repeat(1_000_000), null, 0, "collector");

        assertThat(bad.raw()).hasSize(BadEvent.MAX_RAW_CHARS);
    }
}
