package io.arqonbus.server.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** stop(): every bus and telemetry client gets 1001, new connections are refused, stop completes. */
class ShutdownTest {
    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension();
    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    @Test
    void stopClosesEveryClientWith1001AndRefusesNewConnections() throws Exception {
        List<RawWebSocket> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clients.add(raw.connectWelcomed());
        }
        RawWebSocket telemetry = raw.connect(server.telemetryUri(), RawWebSocket.Options.defaults());
        telemetry.await(f -> "telemetry_connected".equals(f.path("event_type").asText()), T);
        InetSocketAddress bus = server.bus().busAddress();
        URI busUri = server.wsUri();

        server.bus().stop().get(30, TimeUnit.SECONDS);

        for (RawWebSocket ws : clients) {
            RawWebSocket.Close close = ws.closeFrame().get(T.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(close.code()).isEqualTo(CloseCodes.GOING_AWAY);
            assertThat(close.reason()).isEqualTo("server shutting down");
        }
        RawWebSocket.Close telemetryClose = telemetry.closeFrame().get(T.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(telemetryClose.code()).isEqualTo(CloseCodes.GOING_AWAY);
        assertThat(server.bus().isReady()).isFalse();
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(bus, 2000);
            }
        }).isInstanceOf(java.io.IOException.class);
        assertThat(server.bus().stop()).isDone(); // idempotent
        assertThat(busUri).isNotNull();
    }
}
