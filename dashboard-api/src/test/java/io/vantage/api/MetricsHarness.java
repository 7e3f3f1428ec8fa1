package io.vantage.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.vantage.model.Event;
import io.vantage.model.Json;
import io.vantage.model.Site;
import io.vantage.model.Stores;
import io.vantage.model.Topics;
import io.vantage.processor.TopologyConfig;
import io.vantage.processor.VantageTopology;
import io.vantage.store.StoreKeys;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import io.vantage.testing.TestEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The production topology in a TopologyTestDriver, queried through the production query parser and
 * service over the driver's rollup store: events in, API answers out, no broker.
 */
final class MetricsHarness implements AutoCloseable {
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, byte[]> events;
    private final TestInputTopic<String, byte[]> imports;
    private final Map<String, Site> sites = new HashMap<>();
    private final QueryParser parser;
    private final QueryService service;
    private final PartitionStores stores;

    private final Instant now;

    MetricsHarness(Instant now) {
        this.now = now;
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "vantage-metrics-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(VantageTopology.build(TopologyConfig.defaults()), props);
        events = driver.createInputTopic(Topics.EVENTS, new StringSerializer(), new ByteArraySerializer());
        imports = driver.createInputTopic(Topics.IMPORTS, new StringSerializer(), new ByteArraySerializer());
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        parser = new QueryParser(clock);
        KeyValueStore<Bytes, byte[]> visits = driver.getKeyValueStore(Stores.VISITS);
        stores = new PartitionStores(0, visits, driver.getKeyValueStore(Stores.VISITOR_TRAITS),
                driver.getKeyValueStore(Stores.SITE_SPANS), driver.getKeyValueStore(Stores.VISIT_HOURS),
                driver.getKeyValueStore(Stores.VISIT_CHANGES), new HourCache(1_000_000));
        Summaries summaries = new Summaries(64L << 20);
        service = new QueryService(new PartialSource() {
            @Override
            public List<Partial> scan(ScanRequest request) {
                return List.of(PartitionScan.scan(request, List.of(stores), List.of(0), summaries));
            }

            @Override
            public long firstVisitStart(String site) {
                Bytes[] all = StoreKeys.visitHours(site, 0, Integer.MAX_VALUE);
                try (KeyValueIterator<Bytes, byte[]> it = visits.range(all[0], all[1])) {
                    return it.hasNext() ? StoreKeys.visitStart(it.next().key) : Long.MAX_VALUE;
                }
            }
        }, clock);
    }

    MetricsHarness site(String id, String timezone, String... goals) {
        Site site = new Site(id, id + ".com", timezone, List.of(goals), "rk_" + id, 30, List.of());
        sites.put(id, site);
        driver.createInputTopic(Topics.SITES, new StringSerializer(), Topics.SITE_SERDE.serializer()).pipeInput(id, site);
        return this;
    }

    MetricsHarness send(Event.Builder... list) {
        for (Event.Builder b : list) {
            Event e = b.build();
            (e.ingest() == Event.Ingest.IMPORT ? imports : events).pipeInput(TestEvents.record(e));
        }
        return this;
    }

    /** An erasure request as the API writes it, asked now (at the harness's clock). */
    MetricsHarness erase(String site, String visitorId) {
        io.vantage.model.Erasure e = new io.vantage.model.Erasure(site, visitorId, now.toEpochMilli());
        driver.createInputTopic(Topics.ERASURES, new StringSerializer(), new ByteArraySerializer())
                .pipeInput(e.key(), Topics.ERASURE_SERDE.serializer().serialize(Topics.ERASURES, e));
        return this;
    }

    /** One query's share computed by the scan of every decoded visit, the definition the faster paths are compared with. */
    Partial scan(ScanRequest request) {
        SegmentScan scan = new SegmentScan(request);
        scan.scan(stores);
        return scan.finish(List.of(0));
    }

    /** A share's rows, comparable whatever their order: key to counts. */
    static Map<List<String>, List<Long>> rows(Partial p) {
        Map<List<String>, List<Long>> out = new TreeMap<>(Comparator.comparing(Object::toString));
        p.rows().forEach(r -> out.put(r.key(), Arrays.stream(r.counts()).boxed().toList()));
        return out;
    }

    /** The driver's stores, as the query side reads them. */
    PartitionStores stores() {
        return stores;
    }

    Site site(String id) {
        return sites.get(id);
    }

    /** A parsed request's answer. */
    QueryResponse run(QueryRequest request, Site site) {
        return service.run(parser.parse(request, site));
    }

    /** The API's answer to a query body, as JSON. */
    JsonNode query(String body) {
        try {
            QueryRequest request = QueryRequest.of(Json.MAPPER.readTree(body));
            return Json.MAPPER.valueToTree(service.run(parser.parse(request, sites.get(request.siteId()))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The metric values of a query without dimensions, by metric name. */
    Map<String, Double> totals(String site, String dateRange, String... metrics) {
        JsonNode r = query("{\"site_id\":\"" + site + "\",\"metrics\":" + Json.MAPPER.valueToTree(metrics)
                + ",\"date_range\":" + dateRange + "}");
        Map<String, Double> out = new HashMap<>();
        for (int i = 0; i < metrics.length; i++) {
            out.put(metrics[i], r.get("results").get(0).get("metrics").get(i).asDouble());
        }
        return out;
    }

    /** Rows of a breakdown as "dimension values → metric values". */
    Map<String, List<Double>> breakdown(String body) {
        Map<String, List<Double>> out = new java.util.LinkedHashMap<>();
        for (JsonNode row : query(body).get("results")) {
            List<String> dims = new ArrayList<>();
            row.get("dimensions").forEach(d -> dims.add(d.asText()));
            List<Double> values = new ArrayList<>();
            row.get("metrics").forEach(m -> values.add(m.asDouble()));
            out.put(String.join(",", dims), values);
        }
        return out;
    }

    @Override
    public void close() {
        driver.close();
    }
}
