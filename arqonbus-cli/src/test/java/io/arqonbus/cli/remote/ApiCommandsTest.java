package io.arqonbus.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.cli.CliRunner;
import io.arqonbus.server.config.ApiKey;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code arqon publish} and {@code arqon history} against a real server's HTTP API with an API key. */
class ApiCommandsTest {
    static final String KEY = "cli-test-key-0123456789";

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.telemetryPort(-1).ioThreads(1)
            .httpApi(h -> h.withKeys(List.of(ApiKey.parse("cli:publish=" + KEY)))));

    private static String http() {
        return "http://127.0.0.1:" + server.bus().httpAddress().getPort();
    }

    @Test
    void publishThenReadHistoryBack() {
        CliRunner cli = new CliRunner(Map.of("ARQONBUS_HTTP_URL", http(), "ARQONBUS_API_KEY", KEY));
        CliRunner.Result published = cli.run("publish", "--room", "cli", "--channel", "log",
                "--payload", "{\"text\":\"hello\"}", "--durable");
        assertThat(published.exitCode()).as(published.err()).isZero();
        assertThat(published.out()).contains("\"offset\": 1").contains("\"epoch\"");

        CliRunner.Result history = cli.run("history", "--room", "cli", "--channel", "log", "--limit", "5");
        assertThat(history.exitCode()).as(history.err()).isZero();
        assertThat(history.out()).contains("\"text\": \"hello\"").contains("\"count\": 1");
    }

    @Test
    void errorsSayWhatToDoNext() throws Exception {
        CliRunner.Result noKey = new CliRunner().run("publish", "--http-url", http(), "--room", "cli",
                "--channel", "log");
        assertThat(noKey.exitCode()).isEqualTo(1);
        assertThat(noKey.err()).contains("HTTP 401 UNAUTHORIZED").contains("pass --api-key KEY or set ARQONBUS_API_KEY");

        CliRunner.Result invalid = new CliRunner().run("publish", "--http-url", http(), "--api-key", KEY,
                "--room", "a b", "--channel", "log");
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.err()).contains("HTTP 400 VALIDATION_ERROR");

        CliRunner.Result payload = new CliRunner().run("publish", "--http-url", http(), "--api-key", KEY,
                "--room", "cli", "--channel", "log", "--payload", "[1]");
        assertThat(payload.exitCode()).isEqualTo(2);
        assertThat(payload.err()).contains("--payload must be a JSON object");

        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        CliRunner.Result down = new CliRunner().run("history", "--http-url", "http://127.0.0.1:" + port,
                "--room", "cli", "--timeout-seconds", "2");
        assertThat(down.exitCode()).isEqualTo(1);
        assertThat(down.err()).contains("is the server running");
    }
}
