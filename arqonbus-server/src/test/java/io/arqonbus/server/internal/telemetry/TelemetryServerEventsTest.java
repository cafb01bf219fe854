package io.arqonbus.server.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The telemetry events built from the server's own state keep their fields, in their order. */
class TelemetryServerEventsTest {
    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.statsInterval(Duration.ofMillis(200)));

    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    private static Predicate<JsonNode> event(String type) {
        return f -> type.equals(f.path("event_type").asText());
    }

    private static List<String> keys(JsonNode data) {
        List<String> keys = new ArrayList<>();
        data.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void connectedDisconnectedAndStats() throws Exception {
        RawWebSocket telemetry = raw.connect(server.telemetryUri(), RawWebSocket.Options.defaults());
        telemetry.await(event("telemetry_connected"), T);
        RawWebSocket bus = raw.connectWelcomed();
        JsonNode connected = telemetry.await(event("client_connected"), T);
        assertThat(keys(connected.path("data"))).containsExactly("client_id", "client_type", "remote_address");
        assertThat(connected.path("data").path("client_type").asText()).isEqualTo("unknown");
        assertThat(connected.path("data").path("remote_address").asText()).contains("127.0.0.1");
        String clientId = connected.path("data").path("client_id").asText();
        assertThat(clientId).isNotBlank();

        JsonNode stats = telemetry.await(event("stats"), T);
        assertThat(keys(stats.path("data")))
                .containsExactly("clients", "rooms", "channels", "messages_total", "deliveries_total");
        assertThat(stats.path("data").path("clients").asInt()).isGreaterThanOrEqualTo(1);

        bus.close();
        JsonNode disconnected = telemetry.await(event("client_disconnected"), T);
        assertThat(keys(disconnected.path("data"))).containsExactly("client_id", "client_type");
        assertThat(disconnected.path("data").path("client_id").asText()).isEqualTo(clientId);
    }
}
