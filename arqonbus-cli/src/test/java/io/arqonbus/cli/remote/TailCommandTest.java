package io.arqonbus.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.cli.CliRunner;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.internal.hub.ChannelInfo;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code arqon tail} against a real ArqonBus with real publishers. */
class TailCommandTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.telemetryPort(-1).httpPort(-1));
    private static String wsUrl;

    @BeforeAll
    static void url() {
        wsUrl = "ws://127.0.0.1:" + server.bus().busAddress().getPort();
    }

    private static int members(String room, String channel) {
        ChannelInfo c = server.components().hub().channel(ChannelKey.of(room, channel));
        return c == null ? 0 : c.memberCount();
    }

    @Test
    void printsPublishedMessagesOfTheJoinedChannelUpToTheLimit() throws Exception {
        CliRunner.Running tail = new CliRunner().start("tail", "--ws-url", wsUrl, "--room", "tail-a", "--channel",
                "news", "--limit", "2", "--timeout-seconds", "20");
        await().atMost(TIMEOUT).until(() -> members("tail-a", "news") == 1 || tail.exit().isDone());
        try (TestClient publisher = TestClient.connect(URI.create(wsUrl)).get(10, TimeUnit.SECONDS)) {
            publisher.publish("tail-a", "news", Map.of("n", 1, "text", "first"));
            publisher.publish("tail-a", "news", Map.of("n", 2, "text", "second"));
            publisher.publish("tail-a", "news", Map.of("n", 3, "text", "beyond the limit"));
            CliRunner.Result result = tail.exit().thenApply(c -> tail.join()).get(20, TimeUnit.SECONDS);
            assertThat(result.exitCode()).as(result.err()).isZero();
            List<String> lines = result.out().lines().toList();
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z type=message sender=" + publisher.clientId()
                    + " room=tail-a channel=news payload=\\{\"n\": 1, \"text\": \"first\"}");
            assertThat(lines.get(1)).endsWith("payload={\"n\": 2, \"text\": \"second\"}");
        }
    }

    @Test
    void rawPrintsCompactSortedJson() throws Exception {
        CliRunner.Running tail = new CliRunner(Map.of("ARQONBUS_WS_URL", wsUrl))
                .start("tail", "--room", "tail-b:raw", "--raw", "--timeout-seconds", "20");
        await().atMost(TIMEOUT).until(() -> members("tail-b", "raw") == 1 || tail.exit().isDone());
        try (TestClient publisher = TestClient.connect(URI.create(wsUrl)).get(10, TimeUnit.SECONDS)) {
            publisher.publish("tail-b", "raw", Map.of("b", 2, "a", 1));
            CliRunner.Result result = tail.exit().thenApply(c -> tail.join()).get(20, TimeUnit.SECONDS);
            assertThat(result.exitCode()).as(result.err()).isZero();
            String line = result.out().strip();
            assertThat(line).doesNotContain("\n").contains("\"payload\": {\"a\": 1, \"b\": 2}");
            JsonNode frame = TestClient.parse(line);
            assertThat(frame.path("type").asText()).isEqualTo("message");
            assertThat(frame.path("room").asText()).isEqualTo("tail-b");
            List<String> keys = iterate(frame.fieldNames());
            assertThat(keys).isSorted();
        }
    }

    @Test
    void withoutARoomTheWelcomeIsTheFirstFrameAsInTheOriginal() {
        CliRunner.Result result = new CliRunner().run("tail", "--ws-url", wsUrl);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().lines().toList()).singleElement().satisfies(line -> assertThat(line)
                .matches("\\S+Z type=message sender=arqonbus room= channel= payload=\\{\"client_id\": \"arq_client_"
                        + "[0-9a-f]{32}\", \"welcome\": \"Connected to ArqonBus\"}"));
    }

    @Test
    void sendGoesOutAfterConnectingAndItsRepliesAreTailed() {
        CliRunner.Result result = new CliRunner().run("tail", "--ws-url", wsUrl, "--limit", "3", "--raw",
                "--send", "{\"type\":\"command\",\"command\":\"ping\",\"id\":\"arq_cli_ping_1\"}");
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<JsonNode> frames = result.out().lines().map(TestClient::parse).toList();
        assertThat(frames).extracting(f -> f.path("type").asText())
                .containsExactly("message", "response", "command_response");
        assertThat(frames.get(1).path("request_id").asText()).isEqualTo("arq_cli_ping_1");
    }

    @Test
    void fewerFramesThanTheLimitTimesOut() {
        CliRunner.Result result = new CliRunner().run("tail", "--ws-url", wsUrl, "--room", "tail-c", "--channel", "quiet",
                "--timeout-seconds", "0.3");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("arqon: Timed out waiting for message" + System.lineSeparator());
        assertThat(result.out()).isEmpty();
    }

    @Test
    void unreachableServerIsARuntimeFailure() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        CliRunner.Result result = new CliRunner().run("tail", "--ws-url", "ws://127.0.0.1:" + port);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("arqon: Failed to connect to ws://127.0.0.1:" + port);
    }

    @Test
    void malformedArgumentsAreUsageErrors() {
        assertThat(new CliRunner().run("tail", "--ws-url", wsUrl, "--header", "nocolon").exitCode()).isEqualTo(2);
        assertThat(new CliRunner().run("tail", "--ws-url", wsUrl, "--send", "[1]").exitCode()).isEqualTo(2);
        assertThat(new CliRunner().run("tail", "--ws-url", wsUrl, "--channel", "x").exitCode()).isEqualTo(2);
        assertThat(new CliRunner().run("tail", "--ws-url", "http://127.0.0.1:1").exitCode()).isEqualTo(2);
        assertThat(new CliRunner().run("tail", "--limit", "x").exitCode()).isEqualTo(2);
    }

    private static List<String> iterate(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
