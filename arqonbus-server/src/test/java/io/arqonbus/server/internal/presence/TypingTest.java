package io.arqonbus.server.internal.presence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Typing signals: relayed to the other members, coalesced to one per second, expiring, never stored. */
class TypingTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension();

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    private static JsonNode typing(TestClient client, String room, String channel, String state) throws Exception {
        return client.command("typing", TestClient.object().put("room", room).put("channel", channel)
                .put("state", state)).get();
    }

    private static boolean isTyping(JsonNode frame) {
        return "system".equals(frame.path("type").asText()) && "typing".equals(frame.path("payload").path("event").asText());
    }

    private static JsonNode nextTyping(TestClient client, Duration within) throws Exception {
        return client.await(TypingTest::isTyping, within);
    }

    @Test
    void signalsReachTheOtherMembersCoalescedAndExpiring() throws Exception {
        List<Envelope> observed = new CopyOnWriteArrayList<>();
        Runnable removeListener = server.components().hub().addListener((delivered, sender) -> observed.add(delivered));
        try {
            TestClient amy = server.connect();
            TestClient bo = server.connect();
            TestClient outsider = server.connect();
            TestClient watcher = server.connect();
            amy.joinChannel("chat", "room1").get();
            bo.joinChannel("chat", "room1").get();
            outsider.joinChannel("chat", "room2").get();
            watcher.command("subscribe", TestClient.parse("{\"filter\":{}}")).get();

            // A change is relayed at once to the other members, not to the sender.
            JsonNode started = typing(amy, "chat", "room1", "start");
            assertThat(started.path("payload").path("data").path("relayed").asBoolean()).isTrue();
            JsonNode start = nextTyping(bo, T);
            assertThat(start.path("room").asText()).isEqualTo("chat");
            assertThat(start.path("channel").asText()).isEqualTo("room1");
            assertThat(start.path("payload").path("client_id").asText()).isEqualTo(amy.clientId());
            assertThat(start.path("payload").path("state").asText()).isEqualTo("start");

            // A burst inside the same second is coalesced: only its last state goes out, at the end of the second.
            List<java.util.concurrent.CompletableFuture<JsonNode>> burst = new java.util.ArrayList<>();
            for (int i = 0; i < 9; i++) {
                burst.add(amy.command("typing", TestClient.object().put("room", "chat").put("channel", "room1")
                        .put("state", i % 2 == 0 ? "stop" : "start")));
            }
            for (var reply : burst) {
                assertThat(reply.get().path("payload").path("data").path("relayed").asBoolean()).isFalse();
            }
            JsonNode stop = nextTyping(bo, Duration.ofSeconds(3));
            assertThat(stop.path("payload").path("state").asText()).isEqualTo("stop");

            // A start that nobody renews expires by itself after five seconds.
            long renewed = System.nanoTime();
            typing(amy, "chat", "room1", "start");
            assertThat(nextTyping(bo, Duration.ofSeconds(3)).path("payload").path("state").asText()).isEqualTo("start");
            JsonNode expired = nextTyping(bo, Duration.ofSeconds(9));
            assertThat(expired.path("payload").path("state").asText()).isEqualTo("stop");
            assertThat(Duration.ofNanos(System.nanoTime() - renewed)).isGreaterThanOrEqualTo(Duration.ofMillis(4900));

            // Exactly those four frames reached the other member; none reached the sender, another channel or a filter.
            amy.command("ping", null).get();
            bo.command("ping", null).get();
            outsider.command("ping", null).get();
            watcher.command("ping", null).get();
            assertThat(bo.drain()).noneMatch(TypingTest::isTyping);
            assertThat(amy.drain()).noneMatch(TypingTest::isTyping);
            assertThat(outsider.drain()).noneMatch(TypingTest::isTyping);
            assertThat(watcher.drain()).noneMatch(TypingTest::isTyping);

            // Never stored, never seen by publication listeners.
            amy.publish("chat", "room1", Map.of("text", "hello"));
            bo.await(f -> "hello".equals(f.path("payload").path("text").asText()), T);
            JsonNode history = amy.command("history", TestClient.object().put("room", "chat")
                    .put("channel", "room1")).get().path("payload").path("data").path("history");
            assertThat(history).hasSize(1);
            assertThat(history.get(0).path("payload").path("text").asText()).isEqualTo("hello");
            JsonNode roomHistory = amy.command("history", TestClient.object().put("room", "chat")).get()
                    .path("payload").path("data").path("history");
            assertThat(roomHistory.findValuesAsText("event")).doesNotContain("typing");
            assertThat(observed).noneMatch(e -> e.payload().path("event").asText().equals("typing"));
        } finally {
            removeListener.run();
        }
    }

    @Test
    void aConnectionThatDiesWhileTypingIsShownAsStopped() throws Exception {
        TestClient cy = server.connect();
        TestClient di = server.connect();
        cy.joinChannel("chat", "room3").get();
        di.joinChannel("chat", "room3").get();
        typing(cy, "chat", "room3", "start");
        assertThat(nextTyping(di, T).path("payload").path("state").asText()).isEqualTo("start");
        cy.abort();
        JsonNode stop = nextTyping(di, Duration.ofSeconds(3));
        assertThat(stop.path("payload").path("state").asText()).isEqualTo("stop");
        assertThat(stop.path("payload").path("client_id").asText()).isEqualTo(cy.clientId());
    }

    @Test
    void onlyMembersMayTypeAndTheStateIsStartOrStop() throws Exception {
        TestClient ed = server.connect();
        ed.joinChannel("chat", "room4").get();
        JsonNode notMember = typing(ed, "chat", "room5", "start");
        assertThat(notMember.path("error_code").asText()).isEqualTo("NOT_FOUND");
        assertThat(notMember.path("error").asText()).isEqualTo("Not a member of chat:room5");
        JsonNode badState = typing(ed, "chat", "room4", "typing");
        assertThat(badState.path("error_code").asText()).isEqualTo("VALIDATION_ERROR");
        ObjectNode noChannel = TestClient.object().put("room", "chat").put("state", "start");
        assertThat(ed.command("typing", noChannel).get().path("error_code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(typing(ed, "chat", "room4", "stop").path("payload").path("data").path("relayed").asBoolean())
                .isFalse();
    }
}
