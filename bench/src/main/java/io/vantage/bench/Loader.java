package io.vantage.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vantage.collector.CollectorConfig;
import io.vantage.collector.CollectorService;
import io.vantage.collector.KafkaEventSink;
import io.vantage.collector.RequestFacts;
import io.vantage.model.KafkaSiteRegistry;
import io.vantage.model.Site;
import io.vantage.model.SiteRegistry.SiteExistsException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Puts import lines on {@code vantage.imports} through the collector's own import path
 * ({@link CollectorService#importNdjson}, the code behind {@code POST /api/import}) without HTTP,
 * so a processing run starts on a pre-loaded topic.
 */
final class Loader implements AutoCloseable {
    private final KafkaSiteRegistry sites;
    private final KafkaEventSink sink;
    private final CollectorService service;

    Loader(String bootstrap) {
        sites = new KafkaSiteRegistry(bootstrap).start(Duration.ofSeconds(60));
        sink = new KafkaEventSink(bootstrap, Duration.ofSeconds(30));
        // Imports never need a cookieless salt (a line names its visitor or its client host).
        service = new CollectorService(sites, sink, day -> {
            throw new IllegalStateException("the bench's imports have no cookieless visitors");
        }, CollectorConfig.withSecret("bench-secret-0123456789"), new SimpleMeterRegistry());
    }

    void site(String id) {
        try {
            sites.create(new Site(id, id + ".example", "UTC", List.of(), "rk_" + id, 30, List.of()));
        } catch (SiteExistsException e) {
            // already there
        }
    }

    /** Imports the lines in order, 5,000 to a request as {@code bin/vantage import} sends them; returns the accepted count. */
    long load(String site, List<String> lines) throws Exception {
        long accepted = 0;
        for (int i = 0; i < lines.size(); i += 5_000) {
            byte[] body = String.join("\n", lines.subList(i, Math.min(lines.size(), i + 5_000))).getBytes(StandardCharsets.UTF_8);
            CollectorService.ImportResult r = service.importNdjson(body, site,
                    new RequestFacts(System.currentTimeMillis(), "127.0.0.1", null, null)).get(60, TimeUnit.SECONDS);
            if (r.rejected() > 0) {
                throw new IllegalStateException("the load has rejected lines: " + r.errors());
            }
            accepted += r.accepted();
        }
        return accepted;
    }

    @Override
    public void close() {
        sink.close();
        sites.close();
    }
}
