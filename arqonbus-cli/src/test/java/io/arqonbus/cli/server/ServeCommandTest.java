package io.arqonbus.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.cli.CliRunner;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.CloseStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ServeCommandTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern BANNER = Pattern.compile(
            "ArqonBus (\\S+) ready: bus=(ws://127\\.0\\.0\\.1:\\d+) telemetry=(ws://127\\.0\\.0\\.1:\\d+|off) "
                    + "http=(http://127\\.0\\.0\\.1:\\d+|off)");

    @Test
    void servesRealClientsAndStopsGracefullyOnSignal() throws Exception {
        CliRunner cli = new CliRunner(Map.of("ARQONBUS_SERVER_PORT", "1", "ARQONBUS_STATS_INTERVAL_SECONDS", "0"));
        CliRunner.Running serve = cli.start("serve", "--port", "0", "--telemetry-port", "0", "--http-port", "0",
                "--io-threads", "2", "--shutdown-grace-seconds", "2");
        await().atMost(TIMEOUT).until(() -> BANNER.matcher(serve.output()).find() || serve.exit().isDone());
        Matcher banner = BANNER.matcher(serve.output());
        assertThat(banner.find()).as("banner in %s / %s", serve.output(), serve.errors()).isTrue();
        assertThat(banner.group(3)).startsWith("ws://");
        assertThat(banner.group(4)).startsWith("http://");
        URI bus = URI.create(banner.group(2));

        try (TestClient alice = TestClient.connect(bus).get(10, TimeUnit.SECONDS);
             TestClient bob = TestClient.connect(bus).get(10, TimeUnit.SECONDS)) {
            assertThat(alice.joinChannel("science", "explore").get(10, TimeUnit.SECONDS).path("status").asText())
                    .isEqualTo("success");
            bob.publish("science", "explore", Map.of("text", "hello"));
            JsonNode delivered = alice.await(f -> "message".equals(f.path("type").asText())
                    && "hello".equals(f.path("payload").path("text").asText()), TIMEOUT);
            assertThat(delivered.path("sender").asText()).isEqualTo(bob.clientId());

            cli.stopSignal().fire();

            CloseStatus closed = alice.closeFuture().get(10, TimeUnit.SECONDS);
            assertThat(closed.code()).isEqualTo(1001);
            assertThat(bob.closeFuture().get(10, TimeUnit.SECONDS).code()).isEqualTo(1001);
        }
        CliRunner.Result result = serve.exit().thenApply(code -> serve.join()).get(30, TimeUnit.SECONDS);
        assertThat(result.exitCode()).isZero();
        assertThat(BANNER.matcher(result.out()).results().count()).isEqualTo(1);
    }

    @Test
    void portInUseIsARuntimeFailure() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CliRunner.Result result = new CliRunner().run("serve", "--port", Integer.toString(taken.getLocalPort()),
                    "--telemetry-port", "-1", "--http-port", "-1");
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).startsWith("arqon: could not start: ").contains(Integer.toString(taken.getLocalPort()));
            assertThat(result.out()).doesNotContain("ready");
        }
    }

    @Test
    void strictStorageWithoutRedisIsARuntimeFailure() throws IOException {
        int nothingThere;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nothingThere = free.getLocalPort();
        }
        CliRunner.Result result = new CliRunner(Map.of("ARQONBUS_REDIS_TIMEOUT_SECONDS", "1")).run("serve",
                "--port", "0", "--telemetry-port", "-1", "--http-port", "-1",
                "--redis-url", "redis://127.0.0.1:" + nothingThere, "--storage-mode", "strict");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("arqon: could not start: ")
                .contains("ARQONBUS_STORAGE_MODE=strict").contains("127.0.0.1:" + nothingThere);
        assertThat(result.out()).doesNotContain("ready");
    }

    @Test
    void invalidConfigurationIsAUsageErrorBeforeAnythingIsBound() {
        CliRunner.Result result = new CliRunner(Map.of("ARQONBUS_ENABLE_AUTH", "true")).run("serve", "--port", "0");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("invalid configuration").contains("ARQONBUS_AUTH_JWT_SECRET");
    }
}
