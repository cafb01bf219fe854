package io.arqonbus.server.internal.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Limits against abuse: rate, channels per connection, handshake and idle timeouts. */
class LimitsTest {
    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b
            .maxConnections(500)
            .rateLimitPerSecond(200)
            .rateLimitBurst(200)
            .rateLimitCloseAfter(50)
            .maxChannelsPerConnection(3)
            .handshakeTimeout(Duration.ofSeconds(1)));

    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    @RegisterExtension
    static final ArqonBusExtension idleServer = new ArqonBusExtension(b -> b.idleTimeout(Duration.ofSeconds(1)));

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    @Test
    void aFlooderIsRateLimitedAndClosedWhileAHundredWellBehavedClientsLoseNothing() throws Exception {
        int calm = 100;
        int perClient = 5;
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < calm; i++) {
            TestClient client = server.connect();
            client.joinChannel("flood", "calm").get();
            clients.add(client);
        }
        RawWebSocket flooder = raw.connectWelcomed();
        ObjectNode noise = TestClient.object().put("type", "message").put("room", "flood").put("channel", "noise");
        noise.putObject("payload").put("noise", true);
        String noiseText = noise.toString();
        int flooded = 0;
        try {
            while (flooded < 5_000 && flooder.isOpen()) {
                flooder.send(noiseText);
                flooded++;
            }
        } catch (Exception closedWhileSending) {
            // The server closed the flooder (4002) while it was still sending: what we want.
        }
        assertThat(flooded).isGreaterThan(200);
        for (int round = 0; round < perClient; round++) {
            for (int i = 0; i < calm; i++) {
                clients.get(i).publish("flood", "calm", Map.of("from", i, "n", round));
            }
        }

        RawWebSocket.Close closed = flooder.closeFrame().get(T.toSeconds(), TimeUnit.SECONDS);
        assertThat(closed.code()).isEqualTo(4002);
        assertThat(closed.reason()).isEqualTo("rate limit exceeded");
        List<JsonNode> flooderFrames = flooder.drain();
        assertThat(flooderFrames).anySatisfy(f -> {
            assertThat(f.path("type").asText()).isEqualTo("error");
            assertThat(f.path("error_code").asText()).isEqualTo("RATE_LIMITED");
        });

        for (int i = 0; i < calm; i++) {
            TestClient client = clients.get(i);
            int expected = (calm - 1) * perClient;
            List<JsonNode> received = new ArrayList<>();
            while (received.size() < expected) {
                JsonNode frame = client.next(T);
                if ("message".equals(frame.path("type").asText()) && frame.path("payload").has("from")) {
                    received.add(frame);
                }
            }
            int self = i;
            assertThat(received).noneMatch(f -> f.path("payload").path("from").asInt() == self);
            assertThat(received.stream().map(f -> f.path("payload").path("from").asInt() * 1_000
                    + f.path("payload").path("n").asInt()).distinct().count()).isEqualTo(expected);
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void aConnectionMayBeAMemberOfAtMostTheConfiguredNumberOfChannels() throws Exception {
        TestClient client = server.connect();
        for (int i = 1; i <= 3; i++) {
            assertThat(client.joinChannel("many", "c" + i).get().path("status").asText()).isEqualTo("success");
        }
        JsonNode fourth = client.joinChannel("many", "c4").get();
        assertThat(fourth.path("error_code").asText()).isEqualTo("MAX_SUBSCRIBERS");
        assertThat(fourth.path("error").asText()).contains("3 channels");
        assertThat(client.joinChannel("many", "c2").get().path("status").asText()).isEqualTo("success");
        client.leaveChannel("many", "c1").get();
        assertThat(client.joinChannel("many", "c4").get().path("status").asText()).isEqualTo("success");
    }

    @Test
    void aSocketThatNeverUpgradesIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.wsUri().getPort())) {
            socket.setSoTimeout((int) T.toMillis());
            InputStream in = socket.getInputStream();
            CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
                try {
                    return in.read();
                } catch (java.io.IOException e) {
                    return -2;
                }
            });
            assertThat(read.get(T.toSeconds(), TimeUnit.SECONDS)).isEqualTo(-1);
        }
        TestClient stillFine = server.connect();
        assertThat(stillFine.command("ping", null).get().path("status").asText()).isEqualTo("success");
    }

    @Test
    void aConnectionThatSendsNothingIsClosedWith4004AfterTheIdleTimeout() throws Exception {
        TestClient quiet = idleServer.connect();
        await().atMost(T).until(quiet::isClosed);
        assertThat(quiet.closeFuture().get().code()).isEqualTo(4004);
        assertThat(quiet.closeFuture().get().reason()).isEqualTo("idle timeout");
    }
}
