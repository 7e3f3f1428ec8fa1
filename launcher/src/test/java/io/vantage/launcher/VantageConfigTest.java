package io.vantage.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VantageConfigTest {
    @TempDir
    Path data;

    @Test
    void keepsGeneratedSecretsReadableByTheOwnerOnly() throws Exception {
        VantageConfig config = VantageConfig.fromEnv(Map.of("VANTAGE_DATA_DIR", data.toString()));

        String secret = config.secretOrKept();
        String token = config.adminTokenOrKept();

        assertThat(config.secretOrKept()).as("kept").isEqualTo(secret);
        assertThat(token).startsWith("vt_");
        for (String name : new String[] {"secret", "admin-token"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(name)))).isEqualTo("rw-------");
        }
    }

    @Test
    void refusesAMalformedListOfTrustedProxies() {
        assertThatThrownBy(() -> VantageConfig.fromEnv(Map.of("VANTAGE_TRUSTED_PROXIES", "10.0.0.0/8, lb.internal")))
                .hasMessageContaining("lb.internal");
    }
}
