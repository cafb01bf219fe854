package io.arqonbus.server.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawHttp;
import io.arqonbus.server.testing.RawWebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The connection limit, server keepalive pings, and handshakes on any path. */
class ConnectionLifecycleLimitsTest {
    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b
            .maxConnections(5)
            .keepAliveInterval(Duration.ofMillis(200))
            .keepAliveTimeout(Duration.ofMillis(300)));
    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    @Test
    void connectionsOverTheLimitAreClosedWith1013AndFreedSlotsAreReused() throws Exception {
        List<RawWebSocket> open = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            open.add(raw.connectWelcomed());
        }
        RawWebSocket extra = raw.connect();
        RawWebSocket.Close close = extra.closeFrame().get(T.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(close.code()).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
        assertThat(close.reason()).isEqualTo("connection limit reached");
        assertThat(extra.drain()).isEmpty(); // no welcome
        open.get(0).close();
        await().atMost(T).until(() -> server.components().sessions().size() == 4);
        RawWebSocket again = raw.connectWelcomed();
        assertThat(again.isOpen()).isTrue();
    }

    @Test
    void serverPingsCarrySequenceNumbersAndAnsweringKeepsTheConnection() throws Exception {
        RawWebSocket ws = raw.connectWelcomed();
        await().atMost(T).until(() -> ws.pings().size() >= 3);
        long previous = 0;
        for (byte[] payload : ws.pings()) {
            assertThat(payload).hasSize(8);
            long seq = ByteBuffer.wrap(payload).getLong();
            assertThat(seq).isEqualTo(previous + 1);
            previous = seq;
        }
        assertThat(ws.isOpen()).isTrue();
        assertThat(ws.closeFrame()).isNotDone();
    }

    @Test
    void silentPeerIsClosedWith1011AfterTheTimeout() throws Exception {
        RawWebSocket ws = raw.connect(RawWebSocket.Options.defaults().withoutPongs());
        RawWebSocket.Close close = ws.closeFrame().get(T.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(close.code()).isEqualTo(CloseCodes.INTERNAL_ERROR);
        assertThat(close.reason()).isEqualTo("keepalive ping timeout");
        assertThat(ws.pings()).isNotEmpty();
    }

    @Test
    void upgradeWorksOnAnyPathWithAQuery() throws Exception {
        RawWebSocket ws = raw.connect(server.wsUri("/some/deep/path?x=1"), RawWebSocket.Options.defaults());
        assertThat(ws.next(T).path("payload").path("welcome").asText()).isEqualTo("Connected to ArqonBus");
    }

    @Test
    void plainHttpOnTheBusPortIs426() throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(server.bus().busAddress(),
                "GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(answer.status()).isEqualTo(426);
        assertThat(answer.headers().get("content-type")).startsWith("application/json");
        assertThat(answer.body()).contains("\"error\":\"Upgrade Required\"");
    }

    @Test
    void malformedUpgradeRequestIs400Json() throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(server.bus().busAddress(),
                "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nBroken header line\r\n\r\n");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.headers().get("content-type")).startsWith("application/json");
        assertThat(answer.body()).isEqualTo("{\"error\":\"Bad Request\",\"details\":\"Malformed HTTP request\"}");
    }

    @Test
    void upgradeWithoutAKeyIs400Json() throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(server.bus().busAddress(),
                "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.headers().get("content-type")).startsWith("application/json");
        assertThat(answer.body()).contains("\"error\":\"Bad Request\"");
    }
}
