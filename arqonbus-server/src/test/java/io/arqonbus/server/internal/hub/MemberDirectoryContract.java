package io.arqonbus.server.internal.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MemberDirectory} gives the bus, run by a subclass against each implementation:
 * three "nodes" of one bus (three nodes of a cluster, or one server asked three times) with real
 * clients on each; whichever node is asked, member counts ({@code join_channel},
 * {@code leave_channel}, {@code channel_info}, {@code list_channels}), presence (command and
 * {@code GET /presence}) and the join, leave and typing notices cover the members of every node.
 */
public abstract class MemberDirectoryContract {
    protected static final Duration T = ArqonBusExtension.TIMEOUT;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private List<ArqonBusExtension> nodes;
    private final List<TestClient> clients = new ArrayList<>();

    /** Three nodes of one bus, started; the same server may stand for several. */
    protected abstract List<ArqonBusExtension> startNodes();

    @BeforeEach
    void start() {
        nodes = startNodes();
    }

    @AfterEach
    void stop() {
        clients.forEach(TestClient::close);
        for (ArqonBusExtension node : new LinkedHashSet<>(nodes)) {
            node.afterEach(null);
            node.stop();
        }
    }

    /** A client on node {@code node} that identified itself as {@code id}. */
    protected TestClient identified(int node, String id, String type, String name) throws Exception {
        TestClient client = nodes.get(node).connect();
        clients.add(client);
        client.sendText("{\"client_id\":\"" + id + "\",\"client_type\":\"" + type + "\",\"screen_name\":\"" + name
                + "\"}");
        client.command("ping", null).get();
        return client;
    }

    protected static JsonNode data(JsonNode reply) {
        assertThat(reply.path("status").asText()).as(reply.toString()).isEqualTo("success");
        return reply.path("payload").path("data");
    }

    protected static JsonNode presence(TestClient asker, String room, String channel) throws Exception {
        var args = TestClient.object().put("room", room);
        if (channel != null) {
            args.put("channel", channel);
        }
        return data(asker.command("presence", args).get());
    }

    private static List<String> ids(JsonNode presence) {
        return presence.path("clients").findValuesAsText("client_id");
    }

    private static Predicate<JsonNode> notice(String event, String client) {
        return f -> "system".equals(f.path("type").asText()) && event.equals(f.path("payload").path("event").asText())
                && client.equals(f.path("payload").path("client_id").asText());
    }

    private JsonNode httpPresence(int node, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(nodes.get(node).httpUri(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestClient.parse(response.body());
    }

    @Test
    void everyNodeCountsAndShowsTheMembersOfEveryNode() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        TestClient ann = identified(0, "ann", "human", "Ann");
        TestClient ben = identified(1, "ben", "ai-agent", "Ben");
        TestClient cat = identified(2, "cat", "human", "Cat");

        assertThat(data(ann.joinChannel("hall", "lobby").get()).path("member_count").asInt()).isEqualTo(1);
        assertThat(data(ben.joinChannel("hall", "lobby").get()).path("member_count").asInt()).isEqualTo(2);
        assertThat(data(cat.joinChannel("hall", "lobby").get()).path("member_count").asInt()).isEqualTo(3);
        assertThat(data(ben.joinChannel("hall", "games").get()).path("member_count").asInt()).isEqualTo(1);
        assertThat(data(cat.joinChannel("hall", "games").get()).path("member_count").asInt()).isEqualTo(2);
        assertThat(data(cat.joinChannel("hall", "lobby").get()).path("member_count").asInt())
                .as("a repeated join answers the count too").isEqualTo(3);

        for (int node = 0; node < 3; node++) {
            TestClient asker = List.of(ann, ben, cat).get(node);
            JsonNode lobby = presence(asker, "hall", "lobby");
            assertThat(lobby.path("count").asInt()).isEqualTo(3);
            assertThat(ids(lobby)).containsExactly("ann", "ben", "cat");
            JsonNode first = lobby.path("clients").get(0);
            assertThat(first.path("client_type").asText()).isEqualTo("human");
            assertThat(first.path("screen_name").asText()).isEqualTo("Ann");
            assertThat(Instant.parse(first.path("joined_at").asText())).isAfter(before)
                    .isBefore(Instant.now().plusSeconds(1));
            assertThat(ids(presence(asker, "hall", null))).containsExactly("ann", "ben", "cat");

            JsonNode info = data(asker.command("channel_info",
                    TestClient.object().put("room", "hall").put("channel", "lobby")).get());
            assertThat(info.path("member_count").asInt()).isEqualTo(3);
            assertThat(info.path("members")).extracting(JsonNode::asText).containsExactly("ann", "ben", "cat");
            assertThat(info.path("participants").get(1).path("client_type").asText()).isEqualTo("ai-agent");
            assertThat(info.path("participants").get(1).path("screen_name").asText()).isEqualTo("Ben");

            JsonNode http = httpPresence(node, "/presence/hall/lobby");
            assertThat(http.path("count").asInt()).isEqualTo(3);
            assertThat(ids(http)).containsExactly("ann", "ben", "cat");

            Map<String, Integer> counts = nodes.get(node).components().hub().members().counts("hall").get();
            assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("lobby", 3, "games", 2));
            Map<String, List<MemberDirectory.Member>> games = nodes.get(node).components().hub().members()
                    .members("hall", "games").get();
            assertThat(games.keySet()).containsExactly("games");
            assertThat(games.get("games")).extracting(MemberDirectory.Member::clientId).containsExactly("ben", "cat");
        }
        JsonNode list = data(ben.command("list_channels", TestClient.object().put("room", "hall")).get());
        assertThat(list.path("channels")).extracting(c -> c.path("name").asText() + "=" + c.path("member_count").asInt())
                .containsExactly("games=2", "lobby=3");
    }

    @Test
    void joinLeaveAndTypingNoticesReachTheMembersOnEveryNode() throws Exception {
        TestClient ann = identified(0, "ann", "human", "Ann");
        TestClient ben = identified(1, "ben", "human", "Ben");
        ann.joinChannel("hall", "lobby").get();
        ben.joinChannel("hall", "lobby").get();
        JsonNode joined = ann.await(notice("join", "ben"), T);
        assertThat(joined.path("payload").path("member_count").asInt()).isEqualTo(2);
        assertThat(joined.path("payload").path("screen_name").asText()).isEqualTo("Ben");

        TestClient cat = identified(2, "cat", "human", "Cat");
        cat.joinChannel("hall", "lobby").get();
        for (TestClient member : List.of(ann, ben)) {
            assertThat(member.await(notice("join", "cat"), T).path("payload").path("member_count").asInt())
                    .isEqualTo(3);
        }

        JsonNode typing = data(ann.command("typing", TestClient.object().put("room", "hall").put("channel", "lobby")
                .put("state", "start")).get());
        assertThat(typing.path("relayed").asBoolean()).isTrue();
        for (TestClient member : List.of(ben, cat)) {
            JsonNode got = member.await(notice("typing", "ann"), T);
            assertThat(got.path("payload").path("state").asText()).isEqualTo("start");
            assertThat(got.path("channel").asText()).isEqualTo("lobby");
        }

        assertThat(data(ben.leaveChannel("hall", "lobby").get()).path("member_count").asInt()).isEqualTo(2);
        for (TestClient member : List.of(ann, cat)) {
            assertThat(member.await(notice("leave", "ben"), T).path("payload").path("member_count").asInt())
                    .isEqualTo(2);
        }
        cat.abort();
        assertThat(ann.await(notice("leave", "cat"), T).path("payload").path("member_count").asInt()).isEqualTo(1);
        await().atMost(T).untilAsserted(() -> assertThat(ids(presence(ann, "hall", "lobby"))).containsExactly("ann"));
        assertThat(ben.drain()).as("who left hears no more of the channel").noneMatch(notice("leave", "cat"));
    }
}
