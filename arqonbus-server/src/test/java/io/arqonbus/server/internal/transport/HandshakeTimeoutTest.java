package io.arqonbus.server.internal.transport;

import static io.arqonbus.server.testing.Frames.type;
import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Both WebSocket ports close a connection that has not finished its upgrade within the handshake
 * timeout: a socket that never sends a byte and one that sends part of an upgrade request. A
 * connection that did upgrade is left alone.
 */
class HandshakeTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.handshakeTimeout(TIMEOUT));
    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private static final String PARTIAL_UPGRADE = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"; // no blank line: the request never ends

    @Test
    void aSilentSocketOnTheTelemetryPortIsClosedAfterTheHandshakeTimeout() throws Exception {
        assertClosedByTheServer(server.bus().telemetryAddress(), null);
    }

    @Test
    void aPartialUpgradeRequestOnTheTelemetryPortIsClosedAfterTheHandshakeTimeout() throws Exception {
        assertClosedByTheServer(server.bus().telemetryAddress(), PARTIAL_UPGRADE);
    }

    @Test
    void aSilentSocketOnTheBusPortIsClosedAfterTheHandshakeTimeout() throws Exception {
        assertClosedByTheServer(server.bus().busAddress(), null);
    }

    @Test
    void aPartialUpgradeRequestOnTheBusPortIsClosedAfterTheHandshakeTimeout() throws Exception {
        assertClosedByTheServer(server.bus().busAddress(), PARTIAL_UPGRADE);
    }

    @Test
    void anUpgradedTelemetryConnectionOutlivesTheHandshakeTimeout() throws Exception {
        long start = System.nanoTime();
        RawWebSocket ws = raw.connect(server.telemetryUri(), RawWebSocket.Options.defaults());
        ws.await(f -> f.path("event_type").asText().equals("telemetry_connected"), T);
        // Ask and get an answer until well past the deadline: each pong shows the connection is still served.
        while (System.nanoTime() - start < 3 * TIMEOUT.toNanos()) {
            ws.send("{\"type\":\"ping\"}");
            ws.await(type("pong"), T);
        }
        assertThat(ws.isOpen()).isTrue();
        assertThat(ws.closeFrame()).isNotDone();
    }

    /**
     * Opens a socket, sends {@code request} (if any), and waits for the server to end the
     * connection: it must do so after the handshake timeout and well before the test's own
     * deadline, without having answered anything.
     */
    private static void assertClosedByTheServer(InetSocketAddress address, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) T.toMillis());
            long start = System.nanoTime();
            socket.setSoTimeout((int) T.toMillis());
            if (request != null) {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            }
            InputStream in = socket.getInputStream();
            int read;
            try {
                read = in.read(); // blocks until the server closes (or the socket timeout fails the test)
            } catch (java.net.SocketException reset) {
                read = -1; // a reset also ends the connection
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertThat(read).as("the server answered instead of closing").isEqualTo(-1);
            assertThat(waited).isGreaterThanOrEqualTo(TIMEOUT.minusMillis(50)).isLessThan(T);
        }
    }
}
