package io.arqonbus.server.internal.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Presence after joins, leaves and abrupt disconnects, by command and over HTTP. */
class PresenceTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension();

    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static JsonNode presence(TestClient asker, String room, String channel) throws Exception {
        var args = TestClient.object().put("room", room);
        if (channel != null) {
            args.put("channel", channel);
        }
        return asker.command("presence", args).get();
    }

    private static List<String> ids(JsonNode reply) {
        return reply.path("payload").path("data").path("clients").findValuesAsText("client_id");
    }

    private static TestClient identified(String id, String type, String name) throws Exception {
        TestClient client = server.connect();
        client.sendText("{\"client_id\":\"" + id + "\",\"client_type\":\"" + type + "\",\"screen_name\":\"" + name + "\"}");
        client.command("ping", null).get();
        return client;
    }

    @Test
    void presenceFollowsJoinsLeavesAndAbruptDisconnects() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        TestClient ann = identified("ann", "human", "Ann");
        TestClient ben = identified("ben", "ai-agent", "Ben");
        TestClient cat = identified("cat", "human", "Cat");
        ann.joinChannel("hall", "lobby").get();
        ben.joinChannel("hall", "lobby").get();
        ben.joinChannel("hall", "games").get();
        cat.joinChannel("hall", "games").get();

        JsonNode lobby = presence(ann, "hall", "lobby");
        assertThat(lobby.path("status").asText()).isEqualTo("success");
        JsonNode data = lobby.path("payload").path("data");
        assertThat(data.path("room").asText()).isEqualTo("hall");
        assertThat(data.path("channel").asText()).isEqualTo("lobby");
        assertThat(data.path("count").asInt()).isEqualTo(2);
        assertThat(ids(lobby)).containsExactly("ann", "ben");
        JsonNode first = data.path("clients").get(0);
        assertThat(first.path("client_type").asText()).isEqualTo("human");
        assertThat(first.path("screen_name").asText()).isEqualTo("Ann");
        assertThat(Instant.parse(first.path("joined_at").asText())).isAfter(before).isBefore(Instant.now().plusSeconds(1));
        List<String> keys = new java.util.ArrayList<>();
        data.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("room", "channel", "count", "clients");
        keys.clear();
        first.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("client_id", "client_type", "screen_name", "joined_at");

        JsonNode room = presence(cat, "hall", null);
        assertThat(room.path("payload").path("data").path("channel").isNull()).isTrue();
        assertThat(room.path("payload").path("data").path("count").asInt()).isEqualTo(3);
        assertThat(ids(room)).containsExactly("ann", "ben", "cat");

        ben.leaveChannel("hall", "lobby").get();
        assertThat(ids(presence(ann, "hall", "lobby"))).containsExactly("ann");
        assertThat(ids(presence(ann, "hall", null))).containsExactly("ann", "ben", "cat");

        // The socket dies without a close frame: presence forgets it, and the others get leave notices.
        cat.abort();
        ben.await(f -> "leave".equals(f.path("payload").path("event").asText())
                && "cat".equals(f.path("payload").path("client_id").asText()), T);
        assertThat(ids(presence(ann, "hall", "games"))).containsExactly("ben");
        ben.abort();
        await().atMost(T).until(() -> ids(presence(ann, "hall", null)).equals(List.of("ann")));
    }

    @Test
    void unknownRoomsAndChannelsAreNotFound() throws Exception {
        TestClient client = server.connect();
        assertThat(presence(client, "nowhere", null).path("error_code").asText()).isEqualTo("NOT_FOUND");
        client.joinChannel("known", "one").get();
        JsonNode missing = presence(client, "known", "two");
        assertThat(missing.path("error_code").asText()).isEqualTo("NOT_FOUND");
        assertThat(missing.path("error").asText()).isEqualTo("Channel 'two' not found in room 'known'");
        assertThat(presence(client, "known", "one").path("status").asText()).isEqualTo("success");
        assertThat(client.command("presence", null).get().path("error_code").asText()).isEqualTo("VALIDATION_ERROR");
    }

    @Test
    void theHttpEndpointAnswersLikeTheCommand() throws Exception {
        TestClient dan = identified("dan", "dashboard", "Dan");
        dan.joinChannel("web", "main").get();
        JsonNode viaCommand = presence(dan, "web", "main").path("payload").path("data");

        HttpResponse<String> channel = get("/presence/web/main");
        assertThat(channel.statusCode()).isEqualTo(200);
        assertThat(channel.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        assertThat(TestClient.parse(channel.body())).isEqualTo(viaCommand);

        HttpResponse<String> room = get("/presence/web");
        assertThat(TestClient.parse(room.body()).path("count").asInt()).isEqualTo(1);
        assertThat(get("/presence/web/other").statusCode()).isEqualTo(404);
        assertThat(get("/presence/nowhere").statusCode()).isEqualTo(404);
        assertThat(get("/presence/a/b/c").statusCode()).isEqualTo(400);
        assertThat(get("/presence/").statusCode()).isEqualTo(404);
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.httpUri(path)).timeout(T).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
