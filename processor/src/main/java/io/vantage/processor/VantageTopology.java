package io.vantage.processor;

import io.vantage.model.Site;
import io.vantage.model.Stores;
import io.vantage.model.Topics;
import io.vantage.processor.enrich.Enrichment;
import io.vantage.profiler.ProfileProcessor;
import io.vantage.profiler.ProfileStore;
import io.vantage.store.ChangeRing;
import io.vantage.store.WriteBackStore;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The one topology of the processor, a pure function of its config:
 *
 * <pre>
 * events, imports ─▶ parse ─▶ enrich ─▶ dedup ─▶ visits ─▶ profile
 *                      │         │                 (visits, visitor-sessions,  (visitor-profiles)
 *                      │         │                  traits, spans; reads profiles;
 * erasures ─▶ erasures ┼─────────┼───────────────▶  erases, sweeps retention)
 *                      └─────────┴──▶ bad-events
 * sites ─▶ (global store)
 * </pre>
 *
 * The engine keeps one binary row per visit with its events ({@link io.vantage.store.VisitRecord}),
 * keyed by site and start hour, and nothing pre-aggregated: every query, filtered or not, is one
 * range scan over the visits of its hours. Stores are cached, so the updates a visit gets between
 * two commits reach RocksDB and its changelog once.
 *
 * <p>Live beacons and imports share every store (same keying, same partition count), so an import
 * is counted exactly like a live beacon; the stores are key-value stores keyed by explicit times,
 * so no stream-time window expiry can drop a 1995 event. A visitor's events share a partition
 * (the record key is site and visitor), so per-visitor figures of different partitions add up.
 */
public final class VantageTopology {
    static final String EVENTS_SOURCE = "events-source";
    static final String IMPORTS_SOURCE = "imports-source";
    static final String ERASURES_SOURCE = "erasures-source";
    static final String ERASURES = "erasures";
    static final String PARSE = "parse";
    static final String ENRICH = "enrich";
    static final String DEDUP = "dedup";
    static final String PROFILE = "profile";
    static final String VISITS = "visits";
    static final String BAD_SINK = "bad-events-sink";
    /** The visit rows written since the last commit, per task, before they are written through early. */
    static final long VISITS_CACHE_BYTES = 8L << 20;

    private VantageTopology() {
    }

    public static Topology build(TopologyConfig config) {
        return build(config, Enrichment.standard());
    }

    public static Topology build(TopologyConfig config, Enrichment enrichment) {
        Topology t = new Topology();
        EventTimeExtractor eventTime = new EventTimeExtractor();
        t.addSource(Topology.AutoOffsetReset.EARLIEST, EVENTS_SOURCE, eventTime, new StringDeserializer(),
                new ByteArrayDeserializer(), Topics.EVENTS);
        t.addSource(Topology.AutoOffsetReset.EARLIEST, IMPORTS_SOURCE, eventTime, new StringDeserializer(),
                new ByteArrayDeserializer(), Topics.IMPORTS);
        // Erasures are keyed like events (same partitions), so they reach the task holding the visitor.
        t.addSource(Topology.AutoOffsetReset.EARLIEST, ERASURES_SOURCE, eventTime, new StringDeserializer(),
                new ByteArrayDeserializer(), Topics.ERASURES);
        t.addProcessor(PARSE, () -> new ParseProcessor(config.listener()), EVENTS_SOURCE, IMPORTS_SOURCE);
        t.addProcessor(ERASURES, () -> new ErasureParser(config.listener()), ERASURES_SOURCE);
        t.addProcessor(ENRICH, () -> new EnrichProcessor(enrichment, config), PARSE);
        t.addProcessor(DEDUP, () -> new DedupProcessor(config), ENRICH);
        t.addProcessor(VISITS, () -> new VisitProcessor(config.listener(), config.retentionSweep(), config.sweepRows(),
                DedupProcessor.daysKept(config)), DEDUP, ERASURES);
        t.addProcessor(PROFILE, () -> new ProfileProcessor<VisitProcessor.Counted>(c -> c.enriched().event(), VisitProcessor.Counted::change,
                        VisitProcessor.Counted::before, VisitProcessor.Counted::erased, VisitProcessor.Counted::recent),
                VISITS);
        t.addSink(BAD_SINK, Topics.BAD_EVENTS, new StringSerializer(), Topics.BAD_EVENT_SERDE.serializer(), PARSE, ENRICH, ERASURES);

        t.addStateStore(org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(Stores.AWAITING_SITE),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingDisabled(), PARSE);
        // The ids of the events not counted into visits (the visits keep their events' ids; see
        // DedupProcessor). Not cached: every id is written once and read only to find a repeat, so a
        // record cache would add a sorted-map lookup to each read and each write and save no write.
        t.addStateStore(org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(Stores.EVENT_IDS),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingDisabled(), DEDUP, VISITS);
        t.addStateStore(ProfileStore.builder(), PROFILE, VISITS);
        // Versions are only meaningful within one task's life, so the store is in memory and not logged.
        t.addStateStore(org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore(Stores.VISIT_HOURS),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled(), VISITS);
        // A ring of the last writes (a slot per version modulo its size): bounded without deletes.
        t.addStateStore(ChangeRing.builder(Stores.VISIT_CHANGES), VISITS);
        // Small (erasures are rare, kept 8 days) and read into memory at every task start.
        t.addStateStore(org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(Stores.ERASED_VISITORS),
                Serdes.String(), Serdes.Long()).withCachingDisabled(), VISITS);
        // Written on every event: a write-back cache of its own (a hash map until the commit), not the record cache.
        t.addStateStore(WriteBackStore.builder(org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                        org.apache.kafka.streams.state.Stores.persistentKeyValueStore(Stores.VISITS), Serdes.Bytes(), Serdes.ByteArray()),
                Bytes::compareTo, k -> k.get().length, v -> v.length, VISITS_CACHE_BYTES), VISITS);
        for (String store : new String[] {Stores.VISITOR_SESSIONS, Stores.VISITOR_TRAITS, Stores.SITE_SPANS}) {
            t.addStateStore(org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                    org.apache.kafka.streams.state.Stores.persistentKeyValueStore(store),
                    Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled(), VISITS);
        }

        t.addGlobalStore(org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                        org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore(Stores.SITES),
                        Serdes.String(), Topics.SITE_SERDE).withLoggingDisabled(),
                "sites-source", new StringDeserializer(), new ByteArrayDeserializer(), Topics.SITES,
                "sites-updater", SiteStoreUpdater::new);
        return t;
    }

    /**
     * Mirrors the compacted sites topic into the global store, tombstones included. Records are
     * decoded here, not by the source, so a corrupt one is logged and skipped (a deserialization
     * failure in the global thread would stop all processing).
     */
    private static final class SiteStoreUpdater implements Processor<String, byte[], Void, Void> {
        private static final org.slf4j.Logger LOGGER = org.slf4j.LoggerFactory.getLogger(SiteStoreUpdater.class);
        private KeyValueStore<String, Site> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(Stores.SITES);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.key() == null) {
                LOGGER.error("skipping a record of {} without a key", Topics.SITES);
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
                return;
            }
            Site site;
            try {
                site = Topics.SITE_SERDE.deserializer().deserialize(Topics.SITES, record.value());
            } catch (RuntimeException e) {
                LOGGER.error("skipping a corrupt record of {} for key '{}': {}", Topics.SITES, record.key(), e.toString());
                return;
            }
            store.put(record.key(), site);
        }
    }
}
