package io.arqonbus.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconnect storm against a real server process with the file store and JWT auth: the tool
 * kills it once every client is joined, the test starts it again on the same port and data, and
 * every client must come back, authenticate and recover.
 */
@Timeout(300)
class ReconnectStormTest {
    private static final String SECRET = "reconnect-storm-test-secret-of-at-least-32-bytes";

    @TempDir
    Path dir;
    private Process server;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process startServer(int port, String name) throws IOException {
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                StormServerMain.class.getName(), Integer.toString(port), dir.resolve("store").toString(), SECRET))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        await(name + " ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited: " + Files.readString(log));
            }
            return Files.readString(log).contains("storm_server_ready port=" + port);
        });
        return process;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void everyClientComesBackAuthenticatesAndRecoversAfterAKillAndARestart() throws Exception {
        int port = freePort();
        server = startServer(port, "first");
        Process first = server;
        CompletableFuture<BenchRun> storm = CompletableFuture.supplyAsync(() -> BenchRun.of("reconnect-storm",
                "--port", Integer.toString(port), "--clients", "300", "--channels", "10", "--jwt-secret", SECRET,
                "--kill-pid", Long.toString(first.pid()), "--threads", "2", "--setup-timeout", "90",
                "--wait-for-drop", "60", "--storm-timeout", "90", "--backoff-initial-ms", "100",
                "--backoff-max-ms", "2000"));

        assertThat(first.onExit().get(150, TimeUnit.SECONDS).isAlive()).isFalse();
        server = startServer(port, "second");
        BenchRun run = storm.get(150, TimeUnit.SECONDS);
        System.out.println("event=storm_test result=" + run.out().strip());

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.path("workload").asText()).isEqualTo("reconnect-storm");
        assertThat(json.path("auth").asText()).isEqualTo("jwt-hs256");
        assertThat(json.path("how").asText()).isEqualTo("sigkill");
        assertThat(json.path("clients").asInt()).isEqualTo(300);
        assertThat(json.path("positions_behind").asLong()).isZero();
        assertThat(json.path("dropped").asInt()).isEqualTo(300);
        assertThat(json.path("back").asInt()).isEqualTo(300);
        assertThat(json.path("recovered").asInt()).isEqualTo(300);
        assertThat(json.path("not_recovered").asLong()).isZero();
        assertThat(json.path("publish_after_restart").asInt()).isEqualTo(1);
        assertThat(json.path("positions_behind_after").asLong()).as("every late publication reached every client")
                .isZero();
        assertThat(json.path("gaps").asLong()).isZero();
        assertThat(json.path("duplicates").asLong()).isZero();
        assertThat(json.path("rejoin_errors").asLong()).isZero();
        assertThat(json.path("handshake_refused_by_status").size()).isZero();
        assertThat(json.path("dropped_by_code").path("1006").asInt()).as("SIGKILL: no close frame").isEqualTo(300);
        assertThat(json.path("closed_after_welcome_by_code").size()).isZero();
        assertThat(json.path("attempts").asLong()).isGreaterThan(300);
        long back99 = json.path("back_99_ms").asLong();
        long recovered100 = json.path("recovered_100_ms").asLong();
        assertThat(json.path("first_back_ms").asLong()).isLessThanOrEqualTo(back99);
        assertThat(back99).isLessThanOrEqualTo(json.path("back_100_ms").asLong());
        assertThat(json.path("recovered_99_ms").asLong()).isLessThanOrEqualTo(recovered100);
        assertThat(recovered100).isGreaterThanOrEqualTo(json.path("back_100_ms").asLong());
        assertThat(json.path("server_pid").asLong()).isEqualTo(server.pid());
        assertThat(json.path("server_cpu_s").isNumber()).isTrue();
        assertThat(json.path("ok").asBoolean()).isTrue();
        assertThat(run.err()).contains("event=storm_ready clients=300 channels=10")
                .contains("event=storm_kill pid=" + first.pid() + " signal=KILL");

        BenchRun wrongSecret = BenchRun.of("reconnect-storm", "--port", Integer.toString(port), "--clients", "2",
                "--channels", "1", "--jwt-secret", "a-different-secret-that-is-long-enough!!", "--setup-timeout", "20",
                "--quiet");
        assertThat(wrongSecret.exit()).as(wrongSecret.err()).isEqualTo(3);
        assertThat(wrongSecret.err()).contains("could not connect and join");
    }

    @Test
    void theToolDrainsTheServerWithSigtermAndRestartsItWithTheRestartCommand() throws Exception {
        int port = freePort();
        server = startServer(port, "first");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String restart = String.join(" ", "exec", quote(java), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", quote(System.getProperty("java.class.path")),
                StormServerMain.class.getName(), Integer.toString(port), quote(dir.resolve("store").toString()),
                quote(SECRET), ">", quote(dir.resolve("restarted.log").toString()), "2>&1");
        try {
            BenchRun run = BenchRun.of("reconnect-storm", "--port", Integer.toString(port), "--clients", "40",
                    "--channels", "4", "--jwt-secret", SECRET, "--kill-pid", Long.toString(server.pid()), "--sigterm",
                    "--restart-command", restart, "--threads", "2", "--setup-timeout", "60", "--wait-for-drop", "60",
                    "--storm-timeout", "90", "--backoff-initial-ms", "100", "--backoff-max-ms", "2000");

            assertThat(run.exit()).as(run.err()).isZero();
            JsonNode json = run.json();
            assertThat(json.path("how").asText()).isEqualTo("sigterm+restart-command");
            assertThat(json.path("dropped_by_code").path("1001").asInt()).as("a drain closes with 1001").isEqualTo(40);
            assertThat(json.path("recovered").asInt()).isEqualTo(40);
            assertThat(json.path("positions_behind_after").asLong()).isZero();
            assertThat(json.path("gaps").asLong() + json.path("duplicates").asLong()).isZero();
            assertThat(json.path("server_pid").asLong()).as("the restarted server, found on the port")
                    .isNotEqualTo(server.pid()).isPositive();
        } finally {
            io.arqonbus.bench.probe.ListeningProcess.onPort(port)
                    .flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    @Test
    void refusesAShortSecretAndTooManyClientsForTheFileLimit() {
        BenchRun shortSecret = BenchRun.of("reconnect-storm", "--clients", "2", "--channels", "1",
                "--jwt-secret", "short", "--quiet");
        assertThat(shortSecret.exit()).isEqualTo(2);
        assertThat(shortSecret.err()).contains("at least 32 bytes");

        BenchRun tooMany = BenchRun.of("reconnect-storm", "--clients", "999999", "--quiet");
        assertThat(tooMany.exit()).as(tooMany.err()).isEqualTo(2);
        assertThat(tooMany.err()).contains("open files");
    }
}
