package io.vantage.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.model.Event;
import io.vantage.model.EventType;
import io.vantage.model.Topics;
import io.vantage.model.codec.EventCodec;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class EventTimeExtractorTest {
    private static final long RECEIVED = 1_800_000_000_000L;
    private final EventTimeExtractor extractor = new EventTimeExtractor();

    @Test
    void aBinaryEventsTimeIsReadFromItsBytesWithOrWithoutTheHeader() {
        Event e = Event.builder().site("s").type(EventType.PAGEVIEW).ts(1_700_000_000_123L).visitorId("v").eventId("e").build();
        byte[] value = EventCodec.encode(e);
        assertThat(extractor.extract(record(value, null), 0)).isEqualTo(e.ts());
        assertThat(extractor.extract(record(value, EventTimeExtractor.encode(e.ts())), 0)).isEqualTo(e.ts());
    }

    @Test
    void otherRecordsTakeTheHeaderElseTheRecordTimestamp() {
        byte[] json = "{\"site\":\"s\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(extractor.extract(record(json, EventTimeExtractor.encode(1_600_000_000_000L)), 0)).isEqualTo(1_600_000_000_000L);
        assertThat(extractor.extract(record(json, null), 0)).isEqualTo(RECEIVED);
        assertThat(extractor.extract(record(json, new byte[] {1, 2}), 0)).isEqualTo(RECEIVED);
        assertThat(extractor.extract(record(new byte[] {1, 0}, null), 0)).as("a truncated binary record").isEqualTo(RECEIVED);
    }

    private static ConsumerRecord<Object, Object> record(byte[] value, byte[] header) {
        RecordHeaders headers = new RecordHeaders();
        if (header != null) {
            headers.add(Topics.EVENT_TIME_HEADER, header);
        }
        return new ConsumerRecord<>(Topics.EVENTS, 0, 0, RECEIVED, TimestampType.CREATE_TIME, 0, value.length, "key", value, headers,
                Optional.empty());
    }
}
