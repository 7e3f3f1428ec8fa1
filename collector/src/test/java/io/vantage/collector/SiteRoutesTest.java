package io.vantage.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.testing.TestHttp;
import io.vantage.testing.TestHttp.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SiteRoutesTest {
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
    void aNewSiteCannotTakeAnIdentifierThatNamesAnotherSite() {
        // Given a site that answers to its id, its domain and a GA4 measurement id
        assertThat(c.admin.post("/api/sites", "{\"id\":\"peers\",\"domain\":\"peers.example\",\"aliases\":[\"G-TEST123\"]}").status())
                .isEqualTo(201);

        // When later sites name those identifiers, Then each is a 400 naming the field: a peer's tracker would reach the new site
        String[][] cases = {
            {"{\"id\":\"g-test123\",\"domain\":\"t1.example\"}", "id"},
            {"{\"id\":\"peers.example\",\"domain\":\"t2.example\"}", "id"},
            {"{\"id\":\"t3\",\"domain\":\"t3.example\",\"aliases\":[\"www.Peers.example\"]}", "aliases"},
            {"{\"id\":\"t4\",\"domain\":\"t4.example\",\"aliases\":[\"peers\"]}", "aliases"},
            {"{\"id\":\"t5\",\"domain\":\"g-test123\"}", "domain"},
            {"{\"id\":\"t6\",\"domain\":\"PEERS\"}", "domain"},
        };
        for (String[] k : cases) {
            Response r = c.admin.post("/api/sites", k[0]);
            assertThat(r.status()).as(k[0]).isEqualTo(400);
            assertThat(r.json().get("field").asText()).as(k[0]).isEqualTo(k[1]);
            assertThat(r.json().get("message").asText()).contains("already names site 'peers'");
        }
        assertThat(c.admin.patch("/api/sites/example", "{\"aliases\":[\"peers.example\"]}").json().get("field").asText())
                .isEqualTo("aliases");
        // A domain may be shared (its own id and aliases still name each site), and the same request again is a 409
        assertThat(c.admin.post("/api/sites", "{\"id\":\"staging\",\"domain\":\"peers.example\"}").status()).isEqualTo(201);
        assertThat(c.admin.post("/api/sites", "{\"id\":\"peers\",\"domain\":\"peers.example\"}").status()).isEqualTo(409);
    }

    @Test
    void aMisspeltSettingIsRefusedNamingIt() {
        Response r = c.admin.post("/api/sites", "{\"id\":\"t7\",\"domain\":\"t7.example\",\"timzone\":\"Europe/Berlin\"}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("field").asText()).isEqualTo("timzone");
        assertThat(r.json().get("message").asText()).contains("timezone");
        assertThat(c.admin.get("/api/sites/t7").status()).as("nothing made").isEqualTo(404);
    }

    @Test
    void aSettingOfTheWrongJsonTypeIsRefusedNamingIt() {
        Response created = c.admin.post("/api/sites", "{\"id\":\"t5\",\"domain\":\"t5.example\",\"goals\":\"signup\"}");
        assertThat(created.status()).isEqualTo(400);
        assertThat(created.json().get("field").asText()).isEqualTo("goals");
        assertThat(created.json().get("message").asText()).contains("a list");

        Response changed = c.admin.patch("/api/sites/example", "{\"retention_days\":\"ninety\"}");
        assertThat(changed.status()).isEqualTo(400);
        assertThat(changed.json().get("field").asText()).isEqualTo("retention_days");
        assertThat(changed.json().get("message").asText()).contains("a whole number");
    }

    @Test
    void createsASiteWithAReadKeyOnceAndListsIt() {
        String body = "{\"id\":\"shop\",\"domain\":\"shop.com\",\"timezone\":\"Europe/Berlin\",\"goals\":[\"signup\"]}";

        Response created = c.admin.post("/api/sites", body);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("timezone").asText()).isEqualTo("Europe/Berlin");
        String readKey = created.json().get("read_key").asText();
        assertThat(readKey).startsWith("rk_");

        assertThat(c.admin.post("/api/sites", body).status()).isEqualTo(409);
        assertThat(c.admin.get("/api/sites").json().findValuesAsText("id")).contains("shop", "example");
        assertThat(c.http.withToken(readKey).get("/api/sites/shop").status()).isEqualTo(200);
        assertThat(c.http.withToken(readKey).get("/api/sites/example").status()).isEqualTo(403);
    }

    @Test
    void needsTheAdminToken() {
        assertThat(c.http.post("/api/sites", "{}").status()).isEqualTo(401);
        assertThat(c.http.withToken("wrong-token-wrong-token").get("/api/sites").status()).isEqualTo(403);
    }

    @Test
    void namesTheBadField() {
        Response r = c.admin.post("/api/sites", "{\"id\":\"shop\",\"domain\":\"shop.com\",\"timezone\":\"Mars/Olympus\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("field").asText()).isEqualTo("timezone");
        assertThat(c.admin.post("/api/sites", "{\"id\":\"Bad Id\",\"domain\":\"x\"}").json().get("field").asText()).isEqualTo("id");
    }

    @Test
    void keepsReadKeysOnlyAsHashesAndRotatesAndRevokesThem() throws Exception {
        String first = c.admin.post("/api/sites", "{\"id\":\"shop\",\"domain\":\"shop.com\"}").json().get("read_key").asText();
        TestHttp firstKey = c.http.withToken(first);

        Response shown = firstKey.get("/api/sites/shop");
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json().has("read_key")).as("a key is shown once, when made").isFalse();
        assertThat(shown.json().get("read_keys").findValuesAsText("id")).containsExactly("k1");
        String stored = io.vantage.model.Json.MAPPER.writeValueAsString(c.sites.find("shop").orElseThrow());
        assertThat(stored).as("what the sites topic holds").doesNotContain(first).contains(io.vantage.model.Site.hash(first));
        assertThat(shown.body()).doesNotContain(io.vantage.model.Site.hash(first));

        Response made = c.admin.post("/api/sites/shop/read-keys", "");
        assertThat(made.status()).isEqualTo(201);
        assertThat(made.json().get("id").asText()).isEqualTo("k2");
        TestHttp secondKey = c.http.withToken(made.json().get("read_key").asText());
        assertThat(secondKey.get("/api/sites/shop").status()).isEqualTo(200);
        assertThat(firstKey.get("/api/sites/shop").status()).as("rotation: both work until the old one is revoked").isEqualTo(200);

        assertThat(c.admin.delete("/api/sites/shop/read-keys/k1").status()).isEqualTo(204);
        assertThat(firstKey.get("/api/sites/shop").status()).isEqualTo(403);
        assertThat(secondKey.get("/api/sites/shop").status()).isEqualTo(200);
        assertThat(c.admin.delete("/api/sites/shop/read-keys/k1").json().get("error").asText()).isEqualTo("unknown_read_key");
        assertThat(c.admin.post("/api/sites/nosuch/read-keys", "").status()).isEqualTo(404);

        assertThat(secondKey.post("/api/sites/shop/read-keys", "").status()).as("only the admin makes keys").isEqualTo(403);
        assertThat(secondKey.delete("/api/sites/shop/read-keys/k2").status()).isEqualTo(403);
        assertThat(c.http.delete("/api/sites/shop/read-keys/k2").status()).isEqualTo(401);
    }

    @Test
    void aSiteRecordOfTheEarlierVersionKeepsItsClearReadKeyOnlyAsAHash() throws Exception {
        io.vantage.model.Site old = io.vantage.model.Json.MAPPER.readValue(
                "{\"id\":\"old\",\"domain\":\"old.com\",\"read_key\":\"rk_legacy_0123456789\"}", io.vantage.model.Site.class);
        assertThat(old.readableWith("rk_legacy_0123456789")).isTrue();
        assertThat(old.readableWith("rk_other")).isFalse();
        assertThat(io.vantage.model.Json.MAPPER.writeValueAsString(old)).doesNotContain("rk_legacy_0123456789");
    }
}
