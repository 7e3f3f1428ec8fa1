package io.vantage.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml checked offline by {@code docker-compose config} (Debian's docker-compose,
 * which .ci/run installs; skipped, saying so, where it is missing): valid with secrets, refused
 * without them, and the services the operator expects are there.
 */
class ComposeConfigIT {
    private static final String COMPOSE = "/usr/bin/docker-compose";

    @Test
    void theComposeFileIsValidAndRefusesToStartWithoutSecrets() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(COMPOSE)), "no docker-compose at " + COMPOSE + " (apt-get install docker-compose)");
        Map<String, String> secrets = Map.of("VANTAGE_ADMIN_TOKEN", "compose-check-admin-token-0123", "VANTAGE_SECRET",
                "compose-check-secret-0123456789", "GRAFANA_ADMIN_PASSWORD", "compose-check-grafana");
        Result services = run(secrets, "config", "--services");
        assertThat(services.code()).as(services.output()).isZero();
        assertThat(services.output().lines()).containsExactlyInAnyOrder("kafka", "collector", "processor-1", "processor-2", "prometheus",
                "grafana");
        Result quiet = run(secrets, "config", "-q");
        assertThat(quiet.code()).as(quiet.output()).isZero();

        Result bare = run(Map.of(), "config", "-q");
        assertThat(bare.code()).as("no secrets, no start").isNotZero();
        assertThat(bare.output()).contains("set VANTAGE_ADMIN_TOKEN");
    }

    private record Result(int code, String output) {
    }

    private static Result run(Map<String, String> env, String... args) throws Exception {
        String[] command = new String[args.length + 3];
        command[0] = COMPOSE;
        command[1] = "-f";
        command[2] = "docker-compose.yml";
        System.arraycopy(args, 0, command, 3, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).directory(new File("..")).redirectErrorStream(true);
        pb.environment().remove("VANTAGE_ADMIN_TOKEN");
        pb.environment().remove("VANTAGE_SECRET");
        pb.environment().remove("GRAFANA_ADMIN_PASSWORD");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
