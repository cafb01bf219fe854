package io.arqonbus.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.ArqonBus;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the embedding example in process (every port on 0) and drives it like a browser dashboard:
 * receive the host's events, send a command the host receives in process, reconnect asking for
 * the recent events, and read them over HTTP.
 */
class HostAppTest {
    private static final Duration T = Duration.ofSeconds(10);

    private final List<Envelope> commands = new CopyOnWriteArrayList<>();
    private HostApp app;

    @BeforeEach
    void startTheExample() {
        // The example starts its own bus (its start method is under test), with the test configuration.
        app = HostApp.start(ArqonBus.builder().config(ArqonBusExtension.testConfig(b -> b.telemetryPort(-1)
                        .ioThreads(1).shutdownGrace(Duration.ofSeconds(1)))),
                Duration.ofMillis(50), commands::add);
    }

    @AfterEach
    void stopTheExample() {
        app.close();
    }

    private URI ws(String query) {
        return URI.create("ws://127.0.0.1:" + app.bus().busAddress().getPort() + "/" + query);
    }

    private static boolean isHostEvent(JsonNode frame) {
        return "event".equals(frame.path("type").asText()) && HostApp.ROOM.equals(frame.path("room").asText())
                && HostApp.EVENTS.equals(frame.path("channel").asText());
    }

    @Test
    void aDashboardReceivesTheHostsEventsAndTheHostReceivesItsCommands() throws Exception {
        try (TestClient dashboard = TestClient.connect(ws("")).get(10, TimeUnit.SECONDS)) {
            JsonNode joined = dashboard.joinChannel(HostApp.ROOM, HostApp.EVENTS).get(10, TimeUnit.SECONDS);
            assertThat(joined.path("status").asText()).isEqualTo("success");

            JsonNode first = dashboard.await(HostAppTest::isHostEvent, T);
            JsonNode second = dashboard.await(HostAppTest::isHostEvent, T);
            assertThat(first.path("sender").asText()).isEqualTo("arqonbus");
            assertThat(first.path("payload").path("spell_name").asText()).isNotEmpty();
            assertThat(second.path("payload").path("sequence").asLong())
                    .isEqualTo(first.path("payload").path("sequence").asLong() + 1);
            assertThat(second.path("metadata").path("offset").asLong())
                    .isEqualTo(first.path("metadata").path("offset").asLong() + 1);

            dashboard.publish(HostApp.ROOM, HostApp.COMMANDS, Map.of("command", "summon", "daemon", "gemini"));
            await().atMost(T).until(() -> !commands.isEmpty());
            Envelope command = commands.get(0);
            assertThat(command.sender()).isEqualTo(dashboard.clientId());
            assertThat(command.room()).isEqualTo(HostApp.ROOM);
            assertThat(command.channel()).isEqualTo(HostApp.COMMANDS);
            assertThat(command.payload().path("daemon").asText()).isEqualTo("gemini");
            assertThat(commands).hasSize(1);
        }
    }

    @Test
    void aLateDashboardGetsTheRecentEventsRightAfterItsWelcome() throws Exception {
        await().atMost(T).until(() -> app.emitted() >= 5);
        try (TestClient late = TestClient.connect(ws("?welcome=recent")).get(10, TimeUnit.SECONDS)) {
            assertThat(late.welcome().path("payload").path("welcome").asText()).isEqualTo("Connected to ArqonBus");
            JsonNode frame = late.next(T);
            assertThat(frame.path("type").asText()).isEqualTo("system");
            assertThat(frame.path("payload").path("event").asText()).isEqualTo("recent_events");
            List<JsonNode> events = StreamSupport.stream(frame.path("payload").path("events").spliterator(), false)
                    .toList();
            assertThat(events).hasSizeBetween(5, 20).allMatch(HostAppTest::isHostEvent);
            List<Long> sequences = events.stream().map(e -> e.path("payload").path("sequence").asLong()).toList();
            assertThat(sequences).isSorted().doesNotHaveDuplicates();
        }

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + app.bus().httpAddress().getPort() + "/events/recent?count=3")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = TestClient.parse(response.body());
        assertThat(body.path("count").asInt()).isEqualTo(3);
        assertThat(body.path("events")).hasSize(3).allMatch(HostAppTest::isHostEvent);
    }
}
