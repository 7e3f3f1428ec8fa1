package io.vantage.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracker in a real browser against the real local mode: runs tracker-js/e2e (node's test
 * runner, playwright-core, Debian's Chromium) with Vantage started here. .ci/run installs Chromium;
 * where it is missing this test is skipped, saying so.
 */
class TrackerBrowserIT {
    @TempDir
    Path data;

    @Test
    void everyInteractionOfTheTrackerIsCountedFromARealBrowser() throws Exception {
        String chromium = System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium");
        assumeTrue(Files.isExecutable(Path.of(chromium)), "no Chromium at " + chromium + " (apt-get install chromium)");
        // A first-party path too, as a site that proxies the tracker through its own domain sets it
        try (VantageNode node = VantageNode.start(VantageConfig.fromEnv(Map.of("VANTAGE_PORT", "0", "VANTAGE_DATA_DIR",
                data.toString(), "VANTAGE_PATH_PREFIX", "/t")), VantageNode.Role.LOCAL)) {
            ProcessBuilder npm = new ProcessBuilder("npm", "run", "--silent", "e2e").directory(new File("../tracker-js"))
                    .redirectErrorStream(true);
            npm.environment().put("VANTAGE_URL", "http://127.0.0.1:" + node.port());
            npm.environment().put("VANTAGE_TOKEN", node.adminToken());
            npm.environment().put("CHROMIUM_PATH", chromium);
            npm.environment().put("VANTAGE_PATH_PREFIX", "/t");
            Process process = npm.start();
            // The runner's report goes to this test's output (and so to the build log).
            try (java.io.BufferedReader out = process.inputReader()) {
                out.lines().forEach(System.out::println);
            }
            assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("browser tests finish").isTrue();
            assertThat(process.exitValue()).as("browser tests pass (see their output above)").isZero();
        }
    }
}
