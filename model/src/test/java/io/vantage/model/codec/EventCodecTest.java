package io.vantage.model.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vantage.model.ClientFacts;
import io.vantage.model.Event;
import io.vantage.model.EventType;
import io.vantage.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    private static final Event FULL = Event.builder().site("example").type(EventType.CUSTOM).ts(1_700_000_000_123L)
            .receivedAt(1_700_000_000_456L).visitorId("v-1").eventId("e-1").url("https://example.com/a?b=1")
            .referrer("https://www.google.com/").title("Ä title").name("signup").props(Map.of("plan", "pro", "seats", "3"))
            .traits(Map.of("gender", "f")).x(-12).y(400).target("button").elementId("go").className("btn btn-primary")
            .scrollPct(75).formId("f").mediaUrl("/v.mp4").downloadUrl("/d.pdf").screen("1920x1080").language("de-DE")
            .timezone("Europe/Berlin").engagedMs(12_345L).client(new ClientFacts("Firefox", "Linux", "desktop", "DE", false))
            .ingest(Event.Ingest.IMPORT).build();

    @Test
    void roundTripsEveryField() {
        assertThat(EventCodec.decode(EventCodec.encode(FULL))).isEqualTo(FULL);
        Event bare = Event.builder().site("s").type(EventType.PAGEVIEW).ts(Event.MIN_TS).visitorId("v").eventId("e").build();
        assertThat(EventCodec.decode(EventCodec.encode(bare))).isEqualTo(bare);
        Event bot = bare.toBuilder().client(new ClientFacts("Googlebot", null, "desktop", null, true)).build();
        assertThat(EventCodec.decode(EventCodec.encode(bot))).isEqualTo(bot);
    }

    @Test
    void readsTheEventTimeAloneFromBinaryRecordsOnly() {
        assertThat(EventCodec.eventTime(EventCodec.encode(FULL))).isEqualTo(FULL.ts());
        Event early = FULL.toBuilder().site("s".repeat(300)).type(EventType.PAGEVIEW).ts(Event.MIN_TS).build();
        assertThat(EventCodec.eventTime(EventCodec.encode(early))).isEqualTo(Event.MIN_TS);
        assertThat(EventCodec.eventTime("{\"ts\":1}".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(EventCodec.eventTime(new byte[] {9, 0, 0, 2})).isNull();
        assertThat(EventCodec.eventTime(Arrays.copyOf(EventCodec.encode(FULL), 3))).isNull();
        assertThat(EventCodec.eventTime(new byte[0])).isNull();
    }

    @Test
    void isSmallerThanTheJsonOfEarlierVersions() throws Exception {
        assertThat(EventCodec.encode(FULL).length).isLessThan(Json.MAPPER.writeValueAsBytes(FULL).length * 3 / 4);
    }

    @Test
    void readsTheJsonRecordsOfEarlierVersionsWithoutTheirClientFields() {
        String old = "{\"site\":\"example\",\"type\":\"pageview\",\"ts\":1700000000000,\"visitor_id\":\"v\",\"event_id\":\"e\","
                + "\"url\":\"https://example.com/\",\"received_at\":1700000000000,\"ip\":\"203.0.113.9\",\"user_agent\":\"Mozilla/5.0\","
                + "\"ingest\":\"LIVE\"}";

        Event e = EventCodec.decode(old.getBytes(StandardCharsets.UTF_8));

        assertThat(e.url()).isEqualTo("https://example.com/");
        assertThat(e.client()).isNull();
        assertThat(e.clientOrNone()).isEqualTo(ClientFacts.NONE);
    }

    @Test
    void failsOnUnknownVersionsAndCorruptRecordsWithASerializationException() {
        byte[] good = EventCodec.encode(FULL);
        assertThatThrownBy(() -> EventCodec.decode(new byte[] {9, 1, 2})).isInstanceOf(SerializationException.class)
                .hasMessageContaining("version 9");
        for (int cut = 1; cut < good.length; cut++) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThatThrownBy(() -> EventCodec.decode(truncated)).as("cut at " + cut).isInstanceOf(SerializationException.class);
        }
        byte[] huge = {1, 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};
        assertThatThrownBy(() -> EventCodec.decode(huge)).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> EventCodec.decode(new byte[0])).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> EventCodec.decode("{not json".getBytes(StandardCharsets.UTF_8))).isInstanceOf(SerializationException.class);
    }
}
