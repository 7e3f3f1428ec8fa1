package io.vantage.processor;

import io.vantage.model.Topics;
import java.nio.ByteBuffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time for the whole topology: the {@link Topics#EVENT_TIME_HEADER} header the collector
 * writes, or the record timestamp (the receive time) when the header is missing or malformed.
 * Reading a header keeps JSON parsing out of the extractor.
 */
public final class EventTimeExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
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
