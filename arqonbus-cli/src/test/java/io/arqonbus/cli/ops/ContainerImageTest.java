package io.arqonbus.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arqonbus.server.config.Listeners;
import io.arqonbus.server.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The container image that {@code -Pimage} builds with Jib ({@code target/arqonbus-image.tar}, a
 * {@code docker load} tarball): non-root, {@code arqon serve} as entrypoint, the three ports, the
 * file store's volume, every port bound to all interfaces. Read from the tarball's manifest and
 * config (no container engine runs here); skipped when the image was not built.
 */
class ContainerImageTest {
    private static final Path IMAGE = Path.of("target", "arqonbus-image.tar");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String entry(String name) throws Exception {
        Process tar = new ProcessBuilder("tar", "-xOf", IMAGE.toString(), name).redirectErrorStream(false).start();
        byte[] out = tar.getInputStream().readAllBytes();
        assertThat(tar.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as("tar -xOf %s %s", IMAGE, name).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void theImageRunsServeAsANonRootUserOnTheThreePortsWithAVolumeForTheFileStore() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(IMAGE), "no image: build it with ./mvnw -B -Pimage -pl arqonbus-cli -am package");
        JsonNode manifest = JSON.readTree(entry("manifest.json")).get(0);
        assertThat(manifest.path("RepoTags").get(0).asText()).startsWith("arqonbus/arqonbus:");
        JsonNode config = JSON.readTree(entry(manifest.path("Config").asText())).path("config");

        assertThat(config.path("User").asText()).isEqualTo("10001:10001").doesNotStartWith("0");
        Listeners defaults = ServerConfig.defaults().listeners();
        List<String> ports = new ArrayList<>();
        config.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        assertThat(ports).containsExactlyInAnyOrder(defaults.port() + "/tcp", defaults.telemetryPort() + "/tcp",
                defaults.httpPort() + "/tcp");
        List<String> entrypoint = new ArrayList<>();
        config.path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).contains("io.arqonbus.cli.Main", "--enable-native-access=ALL-UNNAMED",
                "-XX:+ExitOnOutOfMemoryError");
        assertThat(config.path("Cmd").get(0).asText()).isEqualTo("serve");
        List<String> env = new ArrayList<>();
        config.path("Env").forEach(e -> env.add(e.asText()));
        assertThat(env).contains("ARQONBUS_SERVER_HOST=0.0.0.0", "ARQONBUS_LOG_FORMAT=json");
        assertThat(config.path("Volumes").has("/var/lib/arqonbus")).isTrue();
        assertThat(config.path("WorkingDir").asText()).isEqualTo("/var/lib/arqonbus");
    }
}
