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
    /**
     * At most 2 s of this thread's CPU time per input: CPU time, not wall time, so that a shared,
     * overloaded machine (a run under {@code nice}, neighbours' builds) does not fail an input that
     * only waited for a core; libFuzzer's per-input timeout still bounds wall time.
     */
    private static final long MAX_NANOS_PER_INPUT = 2_000_000_000L;
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

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
        long start = CPU.getCurrentThreadCpuTime();
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
        assertThat(CPU.getCurrentThreadCpuTime() - start).as("CPU time for one file").isLessThan(MAX_NANOS_PER_INPUT);
    }
}
