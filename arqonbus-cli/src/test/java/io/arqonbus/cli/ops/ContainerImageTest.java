package io.arqonbus.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.cli.image.ChrootContainer;
import io.arqonbus.cli.image.ImageTarball;
import io.arqonbus.server.config.Listeners;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.testing.CloseStatus;
import io.arqonbus.server.testing.TestClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image that the {@code image} profile builds with Jib ({@code target/arqonbus-image.tar},
 * a {@code docker load} tarball, on a base made here from a jlinked Temurin runtime and Debian's
 * packages): its config (non-root, {@code arqon serve}, the three ports, the file store's volume,
 * every port bound to all interfaces), and the image run for real: its layers applied in order and
 * its entrypoint started in that file system with {@code chroot} as its user, served to a WebSocket
 * client, and stopped with SIGTERM. No container engine runs here (docs/operations.md).
 *
 * <p>{@code ./arqon test} turns the profile on, which sets {@code arqonbus.image}: the tarball must
 * then be there (a missing image fails). Without the profile the tests skip when no image was built.
 */
class ContainerImageTest {
    private static final String REQUIRED = "arqonbus.image";
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration T = Duration.ofSeconds(20);

    /** Kept when a test fails: the image's file system and the process's log are there to look at. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private static Path image() {
        String required = System.getProperty(REQUIRED);
        if (required != null) {
            Path image = Path.of(required);
            assertThat(image).as("the image profile builds %s before the tests (./mvnw -Pimage …, ./arqon test)", image)
                    .isRegularFile();
            return image;
        }
        Path image = Path.of("target", "arqonbus-image.tar");
        Assumptions.assumeTrue(Files.isRegularFile(image),
                "no image: build it with ./mvnw -B -Pimage -pl arqonbus-cli -am verify (./arqon test does)");
        return image;
    }

    @Test
    void theImageRunsServeAsANonRootUserOnTheThreePortsWithAVolumeForTheFileStore() throws Exception {
        ImageTarball image = ImageTarball.open(image(), dir);
        JsonNode manifest = image.manifest();
        assertThat(manifest.path("RepoTags").get(0).asText()).startsWith("arqonbus/arqonbus:");
        JsonNode config = image.config();

        assertThat(config.path("User").asText()).isEqualTo("10001:10001").doesNotStartWith("0");
        Listeners defaults = ServerConfig.defaults().listeners();
        List<String> ports = new ArrayList<>();
        config.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        assertThat(ports).containsExactlyInAnyOrder(defaults.port() + "/tcp", defaults.telemetryPort() + "/tcp",
                defaults.httpPort() + "/tcp");
        List<String> entrypoint = strings(config.path("Entrypoint"));
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).contains("io.arqonbus.cli.Main", "--enable-native-access=ALL-UNNAMED",
                "-XX:+ExitOnOutOfMemoryError");
        assertThat(config.path("Cmd").get(0).asText()).isEqualTo("serve");
        List<String> env = strings(config.path("Env"));
        assertThat(env).contains("ARQONBUS_SERVER_HOST=0.0.0.0", "ARQONBUS_LOG_FORMAT=json",
                "JAVA_HOME=/opt/java/openjdk");
        assertThat(env).anyMatch(e -> e.startsWith("PATH=/opt/java/openjdk/bin:"));
        assertThat(config.path("Volumes").has("/var/lib/arqonbus")).isTrue();
        assertThat(config.path("WorkingDir").asText()).isEqualTo("/var/lib/arqonbus");
    }

    @Test
    void theImagesFileSystemServesAClientAsUser10001AndStopsCleanlyOnSigterm() throws Exception {
        Path tarball = image();
        ChrootContainer.unavailable().ifPresent(Assumptions::abort);
        ImageTarball image = ImageTarball.open(tarball, dir.resolve("image"));
        Path root = dir.resolve("rootfs");
        image.extractTo(root);
        int[] ports = freeLoopbackPorts(3);
        // The process shares this machine's network (no namespace of its own): loopback, not the image's 0.0.0.0.
        Map<String, String> overrides = Map.of(
                "ARQONBUS_SERVER_HOST", "127.0.0.1",
                "ARQONBUS_SERVER_PORT", String.valueOf(ports[0]),
                "ARQONBUS_TELEMETRY_PORT", String.valueOf(ports[1]),
                "ARQONBUS_HTTP_PORT", String.valueOf(ports[2]),
                "ARQONBUS_SHUTDOWN_GRACE_SECONDS", "1");
        Path log = dir.resolve("container.log");
        Process container = ChrootContainer.start(root, image.config(), overrides, log);
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI livez = URI.create("http://127.0.0.1:" + ports[2] + "/livez");
            await().atMost(START).pollInterval(Duration.ofMillis(250)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                if (!container.isAlive()) {
                    throw new AssertionError("the image's process exited with " + container.exitValue() + ":\n" + read(log));
                }
                return get(http, livez).statusCode() == 200;
            });
            HttpResponse<String> alive = get(http, livez);
            assertThat(alive.body()).contains("\"status\":\"alive\"");

            long pid = container.pid();
            assertThat(Files.readAllLines(Path.of("/proc/" + pid + "/status")))
                    .as("the process runs as the image's user")
                    .anyMatch(line -> line.matches("Uid:\\s+10001\\s+10001\\s+10001\\s+10001"))
                    .anyMatch(line -> line.matches("Gid:\\s+10001\\s+10001\\s+10001\\s+10001"));
            assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/root"))).isEqualTo(root.toRealPath());
            assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd")))
                    .isEqualTo(root.toRealPath().resolve("var/lib/arqonbus"));

            URI bus = URI.create("ws://127.0.0.1:" + ports[0] + "/");
            try (TestClient alice = TestClient.connect(bus).get(T.toMillis(), TimeUnit.MILLISECONDS);
                    TestClient bob = TestClient.connect(bus).get(T.toMillis(), TimeUnit.MILLISECONDS)) {
                assertThat(alice.welcome().path("payload").has("welcome")).as("welcome: %s", alice.welcome()).isTrue();
                assertThat(alice.clientId()).isNotBlank();
                assertThat(alice.joinChannel("image", "chroot").get(T.toMillis(), TimeUnit.MILLISECONDS)
                        .path("status").asText()).isEqualTo("success");
                bob.publish("image", "chroot", Map.of("text", "from inside the image"));
                JsonNode delivered = alice.await(f -> "message".equals(f.path("type").asText())
                        && "from inside the image".equals(f.path("payload").path("text").asText()), T);
                assertThat(delivered.path("sender").asText()).isEqualTo(bob.clientId());

                container.destroy(); // SIGTERM, as a container engine's stop sends
                CloseStatus closed = alice.closeFuture().get(T.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(closed.code()).as("clients are told the server is going away").isEqualTo(1001);
                assertThat(container.waitFor(T.toMillis(), TimeUnit.MILLISECONDS)).as("stopped within %s", T).isTrue();
                assertThat(container.exitValue()).as("exit status after SIGTERM; log:\n%s", read(log)).isZero();
            }
        } finally {
            if (container.isAlive()) {
                container.destroyForcibly();
                container.waitFor(T.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int[] freeLoopbackPorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
