package io.arqonbus.server.internal.telemetry;

import static io.arqonbus.server.testing.Frames.commandAckOf;
import static io.arqonbus.server.testing.Frames.system;
import static io.arqonbus.server.testing.Frames.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.server.internal.session.Disconnector;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The telemetry WebSocket port: welcome, ping, subscribe, bus telemetry re-broadcast, agent activity, slow readers. */
class TelemetryPortTest {
    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.maxPendingBytes(64 * 1024));
    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    private static RawWebSocket telemetryClient(RawWebSocket.Options options) throws Exception {
        RawWebSocket ws = raw.connect(server.telemetryUri(), options);
        JsonNode welcome = ws.next(T);
        assertThat(welcome.path("event_type").asText()).isEqualTo("telemetry_connected");
        assertThat(welcome.path("message").asText()).isEqualTo("Connected to ArqonBus telemetry");
        assertThat(welcome.path("server_config").path("filtered_events").isArray()).isTrue();
        return ws;
    }

    @Test
    void pingAndSubscribe() throws Exception {
        RawWebSocket ws = telemetryClient(RawWebSocket.Options.defaults());
        ws.send("{\"type\":\"ping\"}");
        assertThat(ws.await(type("pong"), T).has("timestamp")).isTrue();
        ws.send("{\"type\":\"subscribe\",\"events\":[\"cpu\"]}");
        JsonNode subscribed = ws.await(type("subscribed"), T);
        assertThat(subscribed.path("events").get(0).asText()).isEqualTo("cpu");
        RawWebSocket bus = raw.connectWelcomed(); // client_connected is filtered out now
        bus.send("{\"type\":\"telemetry\",\"payload\":{\"eventType\":\"cpu\",\"load\":0.7}}");
        JsonNode event = ws.next(T);
        assertThat(event.path("event_type").asText()).isEqualTo("cpu");
        assertThat(event.path("data").path("load").asDouble()).isEqualTo(0.7);
        assertThat(event.path("data").path("source_client_id").asText()).isNotBlank();
        ws.send("{nope");
        assertThat(ws.await(type("error"), T).path("error").asText()).isEqualTo("Invalid JSON");
    }

    @Test
    void busTelemetryGoesToTheTelemetryStreamChannelAndAgentsReportActivity() throws Exception {
        RawWebSocket dashboard = raw.connectWelcomed();
        for (String ch : new String[] {"telemetry-stream", "dashboard-events"}) {
            dashboard.send("{\"id\":\"arq_" + ch + "\",\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\"integriguard\",\"channel\":\"" + ch + "\"}}");
            dashboard.await(commandAckOf("arq_" + ch), T);
        }
        RawWebSocket agent = raw.connectWelcomed();
        agent.send("{\"client_id\":\"agent-7\",\"client_type\":\"ai-agent\",\"screen_name\":\"Seven\"}");
        JsonNode identified = dashboard.await(system("agent_activity", "agent-7"), T);
        assertThat(identified.path("payload").path("activity").asText()).isEqualTo("identified");
        assertThat(identified.path("room").asText()).isEqualTo("integriguard");
        assertThat(identified.path("channel").asText()).isEqualTo("dashboard-events");
        agent.send("{\"type\":\"telemetry\",\"payload\":{\"eventType\":\"heartbeat\"}}");
        JsonNode onBus = dashboard.await(type("telemetry"), T);
        assertThat(onBus.path("channel").asText()).isEqualTo("telemetry-stream");
        assertThat(onBus.path("sender").asText()).isEqualTo("agent-7");
        // Humans do not report activity.
        RawWebSocket human = raw.connectWelcomed();
        human.send("{\"client_id\":\"human-1\",\"client_type\":\"human\"}");
        agent.send("{\"type\":\"telemetry\",\"payload\":{\"eventType\":\"marker\"}}");
        dashboard.await(f -> "marker".equals(f.path("payload").path("eventType").asText()), T);
        assertThat(dashboard.drain()).noneMatch(system("agent_activity", "human-1"));
    }

    @Test
    void telemetryClientThatNeverReadsIsClosedWith4001() throws Exception {
        RawWebSocket stuck = telemetryClient(RawWebSocket.Options.defaults().withReceiveBuffer(2048));
        stuck.stopReading();
        RawWebSocket bus = raw.connectWelcomed();
        char[] filler = new char[16 * 1024];
        Arrays.fill(filler, 'y');
        String body = new String(filler);
        // The server promises the 4001 frame to a peer that reads within the close wait (2 s) of
        // the server's decision, not to one that reads whenever it likes: so stop sending and read
        // as soon as the server has decided, however long the filling took. 400 × 16 KiB is more
        // than the kernel buffers (at most 4 MiB here) plus the 64 KiB budget.
        int sent = 0;
        while (sent < 400 && !serverIsClosing(stuck)) {
            bus.send("{\"type\":\"telemetry\",\"payload\":{\"eventType\":\"bulk\",\"fill\":\"" + body + "\"}}");
            sent++;
        }
        stuck.resumeReading();
        RawWebSocket.Close close = stuck.closeFrame().get(T.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(close.code()).isEqualTo(CloseCodes.SLOW_CONSUMER);
    }

    /** Whether the server has started closing this client's connection. */
    private static boolean serverIsClosing(RawWebSocket client) {
        return server.components().telemetry().clients().stream()
                .map(TelemetryHub.TelemetryClient::channel)
                .filter(channel -> client.localAddress().equals(channel.remoteAddress()))
                .anyMatch(Disconnector::isClosing);
    }
}
