package io.vantage.collector;

import static org.assertj.core.api.Assertions.assertThat;

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
}
