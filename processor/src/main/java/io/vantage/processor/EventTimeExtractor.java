package io.vantage.processor;

import io.vantage.model.Topics;
import io.vantage.model.codec.EventCodec;
import java.nio.ByteBuffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time for the whole topology: read from a binary event's own bytes (the time is its third
 * field), else the {@link Topics#EVENT_TIME_HEADER} header the collector wrote with the JSON
 * events of earlier versions, else the record timestamp (the receive time: erasures, and a header
 * missing or malformed). Neither path parses the event: finding the header decoded its name from
 * bytes on every record, a few percent of the stream thread.
 */
public final class EventTimeExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof byte[] bytes) {
            Long ts = EventCodec.eventTime(bytes);
            if (ts != null && ts >= 0) {
                return ts;
            }
        }
        Header header = record.headers().lastHeader(Topics.EVENT_TIME_HEADER);
        if (header != null && header.value() != null && header.value().length == Long.BYTES) {
            long ts = ByteBuffer.wrap(header.value()).getLong();
            if (ts >= 0) {
                return ts;
            }
        }
        return record.timestamp();
    }

    public static byte[] encode(long eventTime) {
        return ByteBuffer.allocate(Long.BYTES).putLong(eventTime).array();
    }
}
