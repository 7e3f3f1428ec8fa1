package io.vantage.processor;

import io.vantage.model.BadEvent;
import io.vantage.model.Event;
import io.vantage.model.Site;
import io.vantage.model.Stores;
import io.vantage.model.Topics;
import io.vantage.store.StoreKeys;
import io.vantage.store.VisitRecord;
import java.util.ArrayList;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import io.vantage.profiler.VisitorProfile;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/** The production topology in a TopologyTestDriver, with helpers to feed events and read stores. */
final class TopologyFixture implements AutoCloseable {
    final TopologyTestDriver driver;
    private final TestInputTopic<String, byte[]> events;
    private final TestInputTopic<String, byte[]> imports;
    private final TestInputTopic<String, Site> sites;
    private final TestInputTopic<String, byte[]> erasures;
    private Instant wallClock;
    final TestOutputTopic<String, BadEvent> bad;

    TopologyFixture(TopologyConfig config) {
        this(config, Instant.now());
    }

    /** With the driver's wall clock (what retention measures from) starting at {@code wallClock}. */
    TopologyFixture(TopologyConfig config, Instant wallClock) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "vantage-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(VantageTopology.build(config), props, wallClock);
        this.wallClock = wallClock;
        erasures = driver.createInputTopic(Topics.ERASURES, new StringSerializer(), new ByteArraySerializer());
        events = driver.createInputTopic(Topics.EVENTS, new StringSerializer(), new ByteArraySerializer());
        imports = driver.createInputTopic(Topics.IMPORTS, new StringSerializer(), new ByteArraySerializer());
        sites = driver.createInputTopic(Topics.SITES, new StringSerializer(), Topics.SITE_SERDE.serializer());
        bad = driver.createOutputTopic(Topics.BAD_EVENTS, new StringDeserializer(), Topics.BAD_EVENT_SERDE.deserializer());
    }

    TopologyFixture site(String id, String timezone, String... goals) {
        sites.pipeInput(id, new Site(id, id + ".com", timezone, List.of(goals), "key-" + id, 30, List.of()));
        return this;
    }

    TopologyFixture site(Site site) {
        sites.pipeInput(site.id(), site);
        return this;
    }

    /** An erasure request as the API writes it. */
    TopologyFixture erase(String site, String visitorId) {
        io.vantage.model.Erasure e = new io.vantage.model.Erasure(site, visitorId, wallClock.toEpochMilli());
        erasures.pipeInput(new TestRecord<>(e.key(), Topics.ERASURE_SERDE.serializer().serialize(Topics.ERASURES, e),
                wallClock));
        return this;
    }

    /** Moves the wall clock on, running the punctuations due (the retention sweep). */
    TopologyFixture advance(java.time.Duration d) {
        wallClock = wallClock.plus(d);
        driver.advanceWallClockTime(d);
        return this;
    }

    TopologyFixture sendErasureRaw(String key, byte[] value) {
        erasures.pipeInput(new TestRecord<>(key, value, wallClock));
        return this;
    }

    TopologyFixture send(Event... list) {
        for (Event e : list) {
            (e.ingest() == Event.Ingest.IMPORT ? imports : events).pipeInput(io.vantage.testing.TestEvents.record(e));
        }
        return this;
    }

    TopologyFixture sendRaw(String key, byte[] value) {
        events.pipeInput(new TestRecord<>(key, value, Instant.now()));
        return this;
    }

    /** Every stored visit of a site, in key order (start hour, visitor, start). */
    List<VisitRecord> visits(String site) {
        KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(Stores.VISITS);
        Bytes[] range = StoreKeys.visitHours(site, 0, Integer.MAX_VALUE);
        List<VisitRecord> out = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(range[0], range[1])) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                out.add(VisitRecord.decode(kv.value, StoreKeys.visitStart(kv.key)));
            }
        }
        return out;
    }

    /** The number of entries of a store. */
    long count(String storeName) {
        KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(storeName);
        return store.approximateNumEntries();
    }

    byte[] get(String storeName, Bytes key) {
        KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(storeName);
        return store.get(key);
    }

    VisitorProfile profile(String key) {
        KeyValueStore<String, VisitorProfile> store = driver.getKeyValueStore(Stores.PROFILES);
        return store.get(key);
    }

    @Override
    public void close() {
        driver.close();
    }
}
