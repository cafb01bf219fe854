package io.arqonbus.server.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.arqonbus.server.config.ConfigException;
import io.arqonbus.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * Coverage-guided fuzzing of the configuration file reader (docs/reliability.md, "Fuzzing"): any
 * bytes as a file through {@link ConfigFile#load}, then every setting, the permissions and the
 * webhook rules it holds applied to a {@link ServerConfig}. Invariant: a configuration is built or
 * refused with {@link ConfigException} and a sentence; one input takes bounded time.
 */
class ConfigFileFuzzTest {
    private static final long MAX_NANOS_PER_INPUT = 2_000_000_000L;

    private final Path file;

    ConfigFileFuzzTest() throws IOException {
        file = Files.createTempFile("arqonbus-fuzz", ".yaml");
        // Warm-up outside the timed part: the first file pays for loading the YAML reader and
        // every setting's class, seconds on a busy machine.
        Files.writeString(file, "server_port: 0\n");
        new EnvironmentConfig(ConfigFile.load(file), Map.of()).applyTo(ServerConfig.builder()).build();
    }

    @AfterEach
    void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    @FuzzTest(maxDuration = "30s")
    void loadAndApply(byte[] content) {
        long start = System.nanoTime();
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ConfigFile config = ConfigFile.load(file);
            assertThat(new EnvironmentConfig(config, Map.of()).applyTo(ServerConfig.builder()).build()).isNotNull();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        assertThat(System.nanoTime() - start).as("time for one file").isLessThan(MAX_NANOS_PER_INPUT);
    }
}
