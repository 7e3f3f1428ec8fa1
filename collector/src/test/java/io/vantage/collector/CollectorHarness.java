package io.vantage.collector;

import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vantage.http.Auth;
import io.vantage.http.HttpConventions;
import io.vantage.model.InMemorySiteRegistry;
import io.vantage.model.Site;
import io.vantage.testing.TestHttp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** The collector's routes on a real Javalin server (port 0), over an in-memory sink and registry. */
final class CollectorHarness implements AutoCloseable {
    static final String ADMIN = "admin-token-0123456789";
    static final Instant NOW = Instant.parse("2024-03-01T12:00:00Z");
    final MemoryEventSink sink = new MemoryEventSink();
    final RandomSalts salts = new RandomSalts();
    final InMemorySiteRegistry sites = new InMemorySiteRegistry();
    final Javalin app;
    final TestHttp http;
    final TestHttp admin;

    final io.micrometer.core.instrument.MeterRegistry registry = new SimpleMeterRegistry();

    CollectorHarness() {
        this(CollectorConfig.withSecret("cookieless-secret-0123456789"), io.github.bucket4j.TimeMeter.SYSTEM_NANOTIME);
    }

    /** With the collector's limits and the clock its rate limits refill by. */
    CollectorHarness(CollectorConfig config, io.github.bucket4j.TimeMeter limiterTime) {
        this(config, limiterTime, NOW);
    }

    /** With the collector's clock at {@code now} (captured requests carry the times they were made). */
    CollectorHarness(Instant now) {
        this(CollectorConfig.withSecret("cookieless-secret-0123456789"), io.github.bucket4j.TimeMeter.SYSTEM_NANOTIME, now);
    }

    CollectorHarness(CollectorConfig config, io.github.bucket4j.TimeMeter limiterTime, Instant now) {
        sites.create(new Site("example", "example.com", "UTC", List.of("signup"), "rk_example", 30, List.of()));
        sites.create(new Site("locked", "locked.com", "UTC", List.of(), "rk_locked", 30, List.of("locked.com")));
        Auth auth = new Auth(ADMIN, sites);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        CollectorService service = new CollectorService(sites, sink, salts, config, registry, limiterTime);
        app = Javalin.create(cfg -> {
            HttpConventions.apply(cfg, CollectorConfig.DEFAULT_MAX_IMPORT_BYTES);
            new CollectorRoutes(service, auth, clock, config).register(cfg);
            new SiteRoutes(sites, auth).register(cfg);
            new TrackerRoutes(config.bases()).register(cfg);
        }).start("127.0.0.1", 0);
        http = new TestHttp("http://127.0.0.1:" + app.port(), null);
        admin = http.withToken(ADMIN);
    }

    @Override
    public void close() {
        app.stop();
    }
}
