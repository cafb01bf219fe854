package io.arqonbus.cli.crash;

import io.arqonbus.server.testing.ExternalServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code arqon serve --cluster} processes with a 3-second presence TTL and one real
 * redis-server: presence on node C lists the members of A and B, typing on A reaches B and C,
 * {@code GET /presence} counts every node's members; a node killed with SIGKILL has its members
 * vanish from the others' presence within the TTL.
 */
@Timeout(180)
class ClusterPresenceProcessTest {
    private static final Duration T = Duration.ofSeconds(15);
    private static final Duration TTL = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private ServerProcess node(ExternalServer redis, String id) {
        ServerProcess node = ServerProcess.startWithHttp(Map.of("ARQONBUS_CLUSTER_URL", RedisProcess.url(redis),
                        "ARQONBUS_CLUSTER_PRESENCE_TTL_SECONDS", Long.toString(TTL.toSeconds())),
                List.of("--node-id", id), dir.resolve(id + ".log"));
        opened.add(node);
        return node;
    }

    private TestClient member(ServerProcess node, String id) throws Exception {
        TestClient client = TestClient.connect(node.uri()).get(10, TimeUnit.SECONDS);
        opened.add(client::abort);
        client.sendText("{\"client_id\":\"" + id + "\",\"client_type\":\"human\",\"screen_name\":\"" + id + "\"}");
        JsonNode joined = client.joinChannel("hall", "lobby").get(10, TimeUnit.SECONDS);
        assertThat(joined.path("status").asText()).as("%s", joined).isEqualTo("success");
        return client;
    }

    private static JsonNode presence(TestClient asker) throws Exception {
        JsonNode reply = asker.command("presence", TestClient.object().put("room", "hall").put("channel", "lobby"))
                .get(10, TimeUnit.SECONDS);
        return reply.path("payload").path("data");
    }

    private static Predicate<JsonNode> typing(String client) {
        return f -> "system".equals(f.path("type").asText()) && "typing".equals(f.path("payload").path("event").asText())
                && client.equals(f.path("payload").path("client_id").asText());
    }

    @Test
    void presenceAndTypingAreTheClustersAndAKilledNodesMembersVanishWithinTheTtl() throws Exception {
        ExternalServer redis = RedisProcess.start(dir);
        opened.add(redis);
        ServerProcess a = node(redis, "node-a");
        ServerProcess b = node(redis, "node-b");
        ServerProcess c = node(redis, "node-c");
        TestClient ann = member(a, "ann");
        TestClient ben = member(b, "ben");
        TestClient cat = member(c, "cat");

        JsonNode onC = presence(cat);
        assertThat(onC.path("count").asInt()).isEqualTo(3);
        assertThat(onC.path("clients").findValuesAsText("client_id")).containsExactly("ann", "ben", "cat");

        ann.command("typing", TestClient.object().put("room", "hall").put("channel", "lobby").put("state", "start"))
                .get(10, TimeUnit.SECONDS);
        ben.await(typing("ann"), T);
        cat.await(typing("ann"), T);

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> onB = http.send(HttpRequest.newBuilder(
                        java.net.URI.create(b.httpUri() + "/presence/hall/lobby")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(onB.statusCode()).as(onB.body()).isEqualTo(200);
        assertThat(TestClient.parse(onB.body()).path("count").asInt()).isEqualTo(3);

        long killed = System.nanoTime();
        c.kill();
        await().atMost(TTL.plusSeconds(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(presence(ann).path("clients").findValuesAsText("client_id")).containsExactly("ann", "ben"));
        Duration gone = Duration.ofNanos(System.nanoTime() - killed);
        System.out.println("event=cluster_presence_killed_node ttl_ms=" + TTL.toMillis() + " gone_ms=" + gone.toMillis());
        assertThat(gone).as("within the TTL (and a poll)").isLessThan(TTL.plusMillis(700));
        JsonNode list = ben.command("list_channels", TestClient.object().put("room", "hall")).get(10, TimeUnit.SECONDS);
        assertThat(list.path("payload").path("data").path("channels").get(0).path("member_count").asInt()).isEqualTo(2);
    }
}
