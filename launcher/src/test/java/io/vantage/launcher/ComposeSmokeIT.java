package io.vantage.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.testing.TestHttp;
import java.io.File;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * docker-compose.yml brings up a broker, a collector, two processors, Prometheus and Grafana; the collector answers health checks.
 * Skipped where no Docker engine runs (our build machines); runs where one does.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeSmokeIT {
    @Container
    static final ComposeContainer COMPOSE = new ComposeContainer(new File("../docker-compose.yml"))
            .withEnv(java.util.Map.of("VANTAGE_ADMIN_TOKEN", "compose-smoke-admin-token-0123", "VANTAGE_SECRET", "compose-smoke-secret-0123456789",
                    "GRAFANA_ADMIN_PASSWORD", "compose-smoke-grafana"))
            .withExposedService("collector-1", 8080, Wait.forHttp("/health").withStartupTimeout(Duration.ofMinutes(5)));

    @Test
    void theCollectorIsHealthy() {
        String base = "http://" + COMPOSE.getServiceHost("collector-1", 8080) + ":" + COMPOSE.getServicePort("collector-1", 8080);
        assertThat(new TestHttp(base, null).get("/health").status()).isEqualTo(200);
    }
}
