package io.vantage.processor;

import io.vantage.model.Event;
import io.vantage.model.Stores;
import io.vantage.processor.enrich.EnrichedEvent;
import io.vantage.processor.rollup.Dimension;
import io.vantage.processor.rollup.Granularity;
import io.vantage.processor.rollup.LocalMinutes;
import io.vantage.processor.rollup.Rollup;
import io.vantage.processor.rollup.RollupKey;
import io.vantage.processor.rollup.VisitorSet;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Adds each counted event to its rollup rows: totals per minute, hour and day, pages per hour and
 * day, event types per day; buckets in the site's time zone. Rows are partial aggregates of the
 * partition (the visitor's), merged across partitions at query time, so a big site has no hot
 * partition.
 */
final class RollupProcessor implements Processor<String, EnrichedEvent, Void, Void> {
    private final ProcessingListener listener;
    private KeyValueStore<String, Rollup> rollups;

    RollupProcessor(ProcessingListener listener) {
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.rollups = context.getStateStore(Stores.ROLLUPS);
    }

    @Override
    public void process(Record<String, EnrichedEvent> record) {
        Event event = record.value().event();
        if (!event.type().countsAsEvent()) {
            return;
        }
        String site = event.site();
        long minute = LocalMinutes.of(event.ts(), record.value().site().zone());
        long visitor = VisitorSet.hash(event.visitorId());
        boolean pageview = event.type().isPageview();
        for (Granularity g : Granularity.values()) {
            add(new RollupKey(site, Dimension.ALL, g, g.bucketOf(minute), ""), pageview, visitor);
        }
        String path = event.path();
        if (path != null) {
            add(new RollupKey(site, Dimension.PAGE, Granularity.HOUR, Granularity.HOUR.bucketOf(minute), path), pageview, visitor);
            add(new RollupKey(site, Dimension.PAGE, Granularity.DAY, Granularity.DAY.bucketOf(minute), path), pageview, visitor);
        }
        add(new RollupKey(site, Dimension.EVENT_TYPE, Granularity.DAY, Granularity.DAY.bucketOf(minute), event.type().wire()),
                pageview, visitor);
        listener.onCounted();
    }

    private void add(RollupKey key, boolean pageview, long visitor) {
        String k = key.encode();
        Rollup row = rollups.get(k);
        rollups.put(k, (row == null ? new Rollup() : row).addEvent(pageview, visitor));
    }
}
