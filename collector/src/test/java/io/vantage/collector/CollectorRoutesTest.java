package io.vantage.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.model.BadEvent;
import io.vantage.model.Event;
import io.vantage.model.EventType;
import io.vantage.testing.TestEvents;
import io.vantage.testing.TestHttp.Response;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CollectorRoutesTest {
    private CollectorHarness c;

    @BeforeEach
    void start() {
        c = new CollectorHarness();
    }

    @AfterEach
    void stop() {
        c.close();
    }

    @Test
    void acceptsOneEventWith202AndStampsServerFacts() {
        Response r = c.http.post("/collect", "{\"site\":\"example\",\"type\":\"pageview\",\"url\":\"https://example.com/a?b=1\",\"visitor_id\":\"v1\"}",
                "Content-Type", "text/plain");

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
        Event e = c.sink.events.get(0);
        assertThat(e.type()).isEqualTo(EventType.PAGEVIEW);
        assertThat(e.receivedAt()).isEqualTo(CollectorHarness.NOW.toEpochMilli());
        assertThat(e.ts()).as("ts defaults to the receive time").isEqualTo(e.receivedAt());
        assertThat(e.client()).as("derived from the User-Agent and the IP, which are dropped")
                .isEqualTo(new io.vantage.model.ClientFacts("Chrome", "Windows", "desktop", "Unknown", false));
        String stored = new String(io.vantage.model.Topics.EVENT_SERDE.serializer().serialize("t", e), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(stored).doesNotContain("127.0.0.1").doesNotContain("Chrome/120").doesNotContain("Mozilla");
        assertThat(e.eventId()).as("event_id assigned when missing").isNotBlank();
        assertThat(e.ingest()).isEqualTo(Event.Ingest.LIVE);
        assertThat(e.path()).isEqualTo("/a");
    }

    @Test
    void acceptsABatchAndCorrectsClientClockSkewWithSentAt() {
        long now = CollectorHarness.NOW.toEpochMilli();
        // The client's clock is 1 h fast; the click happened 10 s before the batch was sent.
        long clientNow = now + 3_600_000;
        String batch = "[{\"site\":\"example\",\"type\":\"pageview\",\"url\":\"https://example.com/\",\"visitor_id\":\"v1\",\"event_id\":\"a\"},"
                + "{\"site\":\"example\",\"type\":\"click\",\"visitor_id\":\"v1\",\"event_id\":\"b\",\"x\":10,\"y\":20,\"ts\":" + (clientNow - 10_000)
                + ",\"sent_at\":" + clientNow + "}]";

        Response r = c.http.post("/collect", batch);

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(c.sink.events).extracting(Event::eventId).containsExactly("a", "b");
        assertThat(c.sink.events.get(1).ts()).isEqualTo(now - 10_000);
        assertThat(c.sink.events.get(1).x()).isEqualTo(10);
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"site\":\"example\",\"visitor_id\":\"v\"}|type",
        "{\"site\":\"example\",\"type\":\"teleport\",\"visitor_id\":\"v\"}|type",
        "{\"type\":\"click\",\"visitor_id\":\"v\"}|site",
        "{\"site\":\"example\",\"type\":\"pageview\",\"visitor_id\":\"v\"}|url",
        "{\"site\":\"example\",\"type\":\"click\",\"visitor_id\":\"v\",\"ts\":\"yesterday\"}|ts",
        "{\"site\":\"example\",\"type\":\"click\",\"visitor_id\":\"v\",\"ts\":99999999999999}|ts",
        "{\"site\":\"example\",\"type\":\"click\",\"visitor_id\":\"v\",\"ts\":\"+300000000-01-01T00:00:00Z\"}|ts",
        "{\"site\":\"example\",\"type\":\"click\",\"visitor_id\":\"v\",\"ts\":\"2024-02-29T11:59:59Z\"}|ts",
        "{\"site\":\"example\",\"type\":\"click\",\"visitor_id\":\"v\",\"ts\":1709294400000,\"sent_at\":9709294400000}|ts",
        "{\"site\":\"example\",\"type\":\"click\",\"visitor_id\":\"v\",\"x\":\"left\"}|x",
        "{\"site\":\"example\",\"type\":\"scroll\",\"visitor_id\":\"v\",\"scroll_pct\":101}|scroll_pct",
        "{\"site\":\"example\",\"type\":\"custom\",\"visitor_id\":\"v\"}|name",
        "{\"site\":\"example\",\"type\":\"custom\",\"visitor_id\":\"v\",\"name\":\"n\",\"props\":[1]}|props",
        "{\"site\":\"example\",\"type\":\"identify\",\"visitor_id\":\"v\"}|traits",
        "{\"site\":\"example\",\"type\":\"click\",\"visitor_id\":7}|visitor_id",
        "{\"site\":\"example\",\"type\":\"click\",\"visitor_id\":\"v\",\"ts\":\"1960-01-01T00:00:00Z\"}|ts",
        "{\"site\":\"example\",\"type\":\"identify\",\"visitor_id\":\"v\",\"traits\":{\"a=b\":\"c\"}}|traits.a=b",
    })
    void rejectsABadFieldWith400NamingItAndKeepsItAsABadEvent(String body, String field) {
        Response r = c.http.post("/collect", body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_field");
        assertThat(r.json().get("field").asText()).isEqualTo(field);
        assertThat(r.json().get("message").asText()).contains(field);
        assertThat(c.sink.events).isEmpty();
        BadEvent bad = c.sink.bad.get(0);
        assertThat(bad.reason()).isEqualTo("invalid_field");
        assertThat(bad.field()).isEqualTo(field);
        assertThat(bad.raw()).isNotBlank();
    }

    @Test
    void storesTheValidEventsOfAMixedBatchAndNamesTheBadOne() {
        Response r = c.http.post("/collect", "[{\"site\":\"example\",\"type\":\"click\",\"visitor_id\":\"v\"},"
                + "{\"site\":\"example\",\"type\":\"click\",\"visitor_id\":\"v\",\"y\":\"up\"}]");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("field").asText()).isEqualTo("y");
        assertThat(r.json().get("message").asText()).startsWith("event 1: ");
        assertThat(r.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(c.sink.events).hasSize(1);
        assertThat(c.sink.bad).hasSize(1);
    }

    @Test
    void rejectsBodiesThatAreNotJson() {
        Response r = c.http.post("/collect", "{nope");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_json");
        assertThat(c.sink.bad.get(0).reason()).isEqualTo("unparseable");
        assertThat(c.sink.bad.get(0).raw()).isEqualTo("{nope");
    }

    @Test
    void answers413ForOversizeBodiesAndBatches() {
        byte[] start = "{\"site\":\"example\",\"type\":\"click\",\"visitor_id\":\"v\",\"title\":\"xxxx".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Response oversize = c.http.postDeclaring("/collect", 1024 * 1024 + 100, start);
        assertThat(oversize.status()).isEqualTo(413);
        assertThat(oversize.json().get("error").asText()).isEqualTo("too_large");
        assertThat(oversize.header("Access-Control-Allow-Origin")).as("a tracker can read the refusal").isEqualTo("*");

        // A chunked body declares no length: it is refused while it is read, at the route's own limit
        byte[] chunked = new byte[CollectorConfig.withSecret("cookieless-secret-0123456789").maxBodyBytes() + 1];
        java.util.Arrays.fill(chunked, (byte) ' ');
        Response streamed = c.http.postChunked("/collect", chunked, "Origin", "https://example.com");
        assertThat(streamed.status()).isEqualTo(413);
        assertThat(streamed.header("Access-Control-Allow-Origin")).isEqualTo("https://example.com");
        assertThat(streamed.json().get("error").asText()).isEqualTo("too_large");
        assertThat(c.admin.postChunked("/api/sites", new byte[SiteRoutes.MAX_BODY_BYTES + 1]).status())
                .as("a site body has a smaller limit than an import").isEqualTo(413);

        String one = "{\"site\":\"example\",\"type\":\"click\",\"visitor_id\":\"v\"}";
        Response tooMany = c.http.post("/collect", "[" + String.join(",", java.util.Collections.nCopies(501, one)) + "]");
        assertThat(tooMany.status()).isEqualTo(413);
        assertThat(tooMany.json().get("error").asText()).isEqualTo("too_many_events");
        assertThat(c.sink.events).isEmpty();
    }

    @Test
    void answers404ForAnUnknownSiteNamingTheField() {
        Response r = c.http.post("/collect", "{\"site\":\"nosuch\",\"type\":\"click\",\"visitor_id\":\"v\"}");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").asText()).isEqualTo("unknown_site");
        assertThat(r.json().get("field").asText()).isEqualTo("site");
        assertThat(r.json().get("message").asText()).contains("nosuch");
        assertThat(c.sink.events).isEmpty();
    }

    @Test
    void answers403ForAnOriginTheSiteDoesNotAllow() {
        String body = "{\"site\":\"locked\",\"type\":\"click\",\"visitor_id\":\"v\"}";
        assertThat(c.http.post("/collect", body, "Origin", "https://evil.example").status()).isEqualTo(403);
        assertThat(c.http.post("/collect", body, "Origin", "https://www.locked.com").status()).isEqualTo(202);
    }

    @Test
    void checksTheRefererOfARequestWithoutOrigin() {
        String body = "{\"site\":\"locked\",\"type\":\"click\",\"visitor_id\":\"v\"}";
        assertThat(c.http.post("/collect", body, "Referer", "https://evil.example/page").status()).isEqualTo(403);
        assertThat(c.http.post("/collect", body, "Referer", "https://locked.com/pricing?x=1").status()).isEqualTo(202);
        assertThat(c.http.post("/collect", body).status()).as("a server-side sender names neither").isEqualTo(202);
    }

    @Test
    void answers503WithRetryAfterWhenTheSinkIsDown() {
        c.sink.down(true);

        Response r = c.http.post("/collect", "{\"site\":\"example\",\"type\":\"click\",\"visitor_id\":\"v\"}");

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("Retry-After")).isEqualTo("5");
        assertThat(r.json().get("error").asText()).isEqualTo("unavailable");
    }

    @Test
    void answers202OnlyAfterTheAcknowledgementAndHoldsNoServerThreadWhileWaiting() throws Exception {
        c.sink.hold();
        // More beacons waiting for Kafka than the server has threads (Javalin's pool: 250)
        int waiting = 300;
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < waiting; i++) {
            answers.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(c.http.base() + "/collect"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"site\":\"example\",\"type\":\"click\",\"visitor_id\":\"v" + i + "\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (c.sink.held() < waiting && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        assertThat(c.sink.held()).as("every beacon reached the sink while the earlier ones still wait").isEqualTo(waiting);
        assertThat(answers).as("none is answered before Kafka acknowledged it").noneMatch(java.util.concurrent.CompletableFuture::isDone);
        assertThat(c.http.options("/collect").status()).as("the server still answers other requests").isEqualTo(204);

        c.sink.release();
        for (java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> answer : answers) {
            java.net.http.HttpResponse<String> r = answer.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(r.body()).isEqualTo("{\"accepted\":1}");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/api/event|{\"n\":\"pageview\",\"u\":\"https://example.com/a\",\"d\":\"example\"}|202|ok",
        "/mp/collect?measurement_id=example|{\"client_id\":\"1.2\",\"events\":[{\"name\":\"page_view\",\"params\":{\"page_location\":\"https://example.com/a\"}}]}|204|",
    })
    void answersAPeersBeaconOnlyAfterTheAcknowledgementAsThePeerDoes(String path, String body, int status, String answer) throws Exception {
        c.sink.hold();
        java.util.concurrent.CompletableFuture<Response> pending = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> c.http.post(path, body, "User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (c.sink.held() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(c.sink.held()).isEqualTo(1);
        assertThat(pending).as("not answered before Kafka acknowledged").isNotDone();

        c.sink.release();
        Response r = pending.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.body()).isEqualTo(answer == null ? "" : answer);
        assertThat(c.sink.events).hasSize(1);
    }

    @Test
    void servesTheBeaconRouteWithATrailingSlashAndLeavesOtherMethodsToTheRouter() {
        Response slash = c.http.post("/collect/", "{\"site\":\"example\",\"type\":\"click\",\"visitor_id\":\"v\"}");
        assertThat(slash.status()).isEqualTo(202);
        assertThat(slash.header("Content-Type")).isEqualTo("application/json");

        Response get = c.http.get("/collect");
        assertThat(get.status()).isEqualTo(404);
        assertThat(get.json().get("message").asText()).as("the router's JSON error").contains("GET /collect");
    }

    @Test
    void answersCorsPreflight() {
        Response r = c.http.options("/collect", "Origin", "https://example.com", "Access-Control-Request-Method", "POST");

        assertThat(r.status()).isEqualTo(204);
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://example.com");
        assertThat(r.header("Access-Control-Allow-Methods")).contains("POST");
    }

    @Test
    void grantsCorsOnlyToOriginsSomeSiteAccepts() {
        // Given a collector whose only site lists its domains
        io.vantage.model.InMemorySiteRegistry lockedOnly = new io.vantage.model.InMemorySiteRegistry();
        lockedOnly.create(new io.vantage.model.Site("locked", "locked.com", "UTC", List.of(), "rk", 30, List.of("locked.com")));
        CollectorService service = new CollectorService(lockedOnly, c.sink, c.salts,
                CollectorConfig.withSecret("cookieless-secret-0123456789"), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());

        // Then pages of its domains are granted, others are not
        assertThat(service.acceptsOrigin("https://locked.com")).isTrue();
        assertThat(service.acceptsOrigin("https://www.locked.com")).isTrue();
        assertThat(service.acceptsOrigin("https://evil.example")).isFalse();
        assertThat(service.acceptsOrigin("https://notlocked.com")).isFalse();
        // And where a site takes beacons from any page (the harness's "example"), any origin is granted
        Response r = c.http.options("/collect", "Origin", "https://evil.example", "Access-Control-Request-Method", "POST");
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://evil.example");
    }

    @Test
    void aRetryAfterMidnightHasTheVisitorIdAndEventIdOfTheFirstSend() {
        // Given a cookieless event sent at 23:59:50 and, its answer lost, sent again at 00:00:10
        String event = "{\"site\":\"example\",\"type\":\"custom\",\"name\":\"signup\",\"ts\":1709337590000}";
        CollectorService service = new CollectorService(c.sites, c.sink, c.salts,
                CollectorConfig.withSecret("cookieless-secret-0123456789"), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        service.collect(event.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                new RequestFacts(1709337590000L + 10_000, "192.0.2.7", TestEvents.CHROME_UA, null)).join();
        service.collect(event.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                new RequestFacts(1709337610000L, "192.0.2.7", TestEvents.CHROME_UA, null)).join();

        // Then both carry the same visitor (so the same partition) and event id: the processor counts it once
        assertThat(c.sink.events).hasSize(2);
        assertThat(c.sink.events.get(1).visitorId()).isEqualTo(c.sink.events.get(0).visitorId());
        assertThat(c.sink.events.get(1).eventId()).isEqualTo(c.sink.events.get(0).eventId()).startsWith("sent:");
    }

    @Test
    void aLiveEventWithoutTimeOrIdIsANewEventEachTime() {
        c.http.post("/collect", "{\"site\":\"example\",\"type\":\"click\",\"visitor_id\":\"v\"}");
        c.http.post("/collect", "{\"site\":\"example\",\"type\":\"click\",\"visitor_id\":\"v\"}");

        assertThat(c.sink.events.get(0).eventId()).isNotEqualTo(c.sink.events.get(1).eventId());
        // and its id says it was made up here, so the processor does not look it up or keep it
        assertThat(c.sink.events).allSatisfy(e -> assertThat(e.generatedId()).isTrue());
    }

    @Test
    void collectsFromAGifBeacon() {
        Response r = c.http.get("/collect.gif?site=example&type=pageview&url=https%3A%2F%2Fexample.com%2Fmail&visitor_id=v9&ts=1709294400000");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("image/gif");
        assertThat(c.sink.events.get(0).path()).isEqualTo("/mail");
        assertThat(c.sink.events.get(0).ts()).isEqualTo(1709294400000L);
    }

    @Test
    void derivesACookielessVisitorIdThatIsStableForADay() {
        c.http.post("/collect", "{\"site\":\"example\",\"type\":\"click\"}");
        c.http.post("/collect", "{\"site\":\"example\",\"type\":\"click\"}");

        String id = c.sink.events.get(0).visitorId();
        assertThat(id).startsWith("c:");
        assertThat(c.sink.events.get(1).visitorId()).isEqualTo(id);
        CookielessIds ids = new CookielessIds("cookieless-secret-0123456789", c.salts);
        long now = CollectorHarness.NOW.toEpochMilli();
        assertThat(ids.visitorId("example", "127.0.0.1", TestEvents.CHROME_UA, now, now)).as("the same salt as the collector's").isEqualTo(id);
        assertThat(ids.visitorId("example", "127.0.0.1", "ua", now, now))
                .isNotEqualTo(ids.visitorId("example", "127.0.0.1", "ua", now + 86_400_000L, now + 86_400_000L));
        CookielessIds elsewhere = new CookielessIds("cookieless-secret-0123456789", new RandomSalts());
        assertThat(elsewhere.visitorId("example", "127.0.0.1", TestEvents.CHROME_UA, now, now))
                .as("the same secret without the day's salt cannot recompute the id").isNotEqualTo(id);
    }

    @Test
    void importedLinesWithoutVisitorIdGetAKeyedHashOfTheirHostNeverTheHost() {
        // Given two lines of one log host and User-Agent, one of another host, and a bad line naming its client
        String ndjson = "{\"type\":\"pageview\",\"url\":\"/a\",\"ts\":807256800000,\"ip\":\"piweba3y.prodigy.com\",\"user_agent\":\"Mosaic\"}\n"
                + "{\"type\":\"pageview\",\"url\":\"/b\",\"ts\":807256900000,\"ip\":\"piweba3y.prodigy.com\",\"user_agent\":\"Mosaic\"}\n"
                + "{\"type\":\"pageview\",\"url\":\"/a\",\"ts\":807256800000,\"ip\":\"192.0.2.55\"}\n"
                + "{\"type\":\"pageview\",\"url\":\"/c\",\"ip\":\"192.0.2.56\",\"user_agent\":\"Mosaic\"}\n";

        Response r = c.admin.post("/api/import?site=example", ndjson);

        // Then the visitors are hashes, one per host and User-Agent, and nothing stored names a host
        assertThat(r.json().get("accepted").asInt()).isEqualTo(3);
        List<String> ids = c.sink.events.stream().map(Event::visitorId).toList();
        assertThat(ids.get(0)).startsWith("h:").isEqualTo(ids.get(1)).isNotEqualTo(ids.get(2));
        String stored = c.sink.events.stream().map(e -> new String(io.vantage.model.Topics.EVENT_SERDE.serializer().serialize("t", e),
                java.nio.charset.StandardCharsets.UTF_8)).collect(java.util.stream.Collectors.joining()) + c.sink.bad;
        assertThat(stored).doesNotContain("prodigy").doesNotContain("192.0.2.5").doesNotContain("Mosaic");
        assertThat(c.sink.bad).singleElement().satisfies(b -> assertThat(b.raw()).contains("/c"));
    }

    @Test
    void importsNdjsonWithAnyTimestampAndReportsBadLines() {
        String ndjson = "{\"type\":\"pageview\",\"url\":\"/old\",\"visitor_id\":\"h1\",\"ts\":807256800000,\"ip\":\"8.8.8.8\",\"user_agent\":\"Mosaic\"}\n"
                + "{\"type\":\"pageview\",\"url\":\"/x\",\"visitor_id\":\"h1\"}\n"
                + "not json\n";

        assertThat(c.http.post("/api/import?site=example", ndjson).status()).isEqualTo(401);
        Response r = c.admin.post("/api/import?site=example", ndjson);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(r.json().get("rejected").asInt()).isEqualTo(2);
        assertThat(r.json().get("errors").get(0).get("line").asInt()).isEqualTo(2);
        assertThat(r.json().get("errors").get(0).get("error").asText()).contains("ts");
        assertThat(r.json().get("errors").get(1).get("line").asInt()).isEqualTo(3);
        Event e = c.sink.events.get(0);
        assertThat(e.ingest()).isEqualTo(Event.Ingest.IMPORT);
        assertThat(e.ts()).isEqualTo(807256800000L);
        assertThat(e.client().country()).as("from the line's ip, which is dropped").isEqualTo("US");
        String stored = new String(io.vantage.model.Topics.EVENT_SERDE.serializer().serialize("t", e), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(stored).doesNotContain("8.8.8.8").doesNotContain("Mosaic");
        assertThat(c.sink.bad).hasSize(2);

        // the same line imported again (a retry after a 503) keeps its event id, so it counts once
        c.admin.post("/api/import?site=example", ndjson);
        assertThat(c.sink.events.get(1).eventId()).isEqualTo(e.eventId()).startsWith("import:");
    }

    @Test
    void importsCrlfBodiesAndCountsBlankLinesInTheLineNumbers() {
        // Given a file written on Windows (CRLF) with a blank line, and no newline after its last line
        String ndjson = "{\"type\":\"pageview\",\"url\":\"/a\",\"visitor_id\":\"h1\",\"ts\":807256800000}\r\n"
                + "\r\n"
                + "not json\r\n"
                + "{\"type\":\"pageview\",\"url\":\"/b\",\"visitor_id\":\"h1\",\"ts\":807256800001}";

        Response r = c.admin.post("/api/import?site=example", ndjson);

        // Then both events count, their fields without the CR, and the bad line is named by its number in the file
        assertThat(r.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(r.json().get("rejected").asInt()).isEqualTo(1);
        assertThat(r.json().get("errors").get(0).get("line").asInt()).isEqualTo(3);
        assertThat(c.sink.events).extracting(Event::url).containsExactly("/a", "/b");
        assertThat(c.sink.bad).singleElement().satisfies(b -> assertThat(b.raw()).isEqualTo("not json"));
    }

    @Test
    void servesTheTrackerWithAnEtag() {
        Response r = c.http.get("/tracker.js");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/javascript");
        assertThat(r.body()).contains("/collect");
        assertThat(c.http.get("/tracker.js", "If-None-Match", r.header("ETag")).status()).isEqualTo(304);
    }
}
