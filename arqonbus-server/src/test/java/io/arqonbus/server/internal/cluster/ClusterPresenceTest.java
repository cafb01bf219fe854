package io.arqonbus.server.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.TestRedis;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Presence across three nodes of a cluster in this JVM on a real redis-server, with a short
 * presence TTL: a node that stops refreshing without leaving (as a killed node does) has its
 * members vanish from every other node's presence and counts within the TTL; {@code status} and
 * {@code GET /status} count the clients of every node. (What every node sees of the others' members
 * is the {@code MemberDirectory} contract: {@link RedisMemberDirectoryContractTest}.)
 */
@ExtendWith(TestRedis.class)
class ClusterPresenceTest {
    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private static final Duration TTL = Duration.ofSeconds(2);

    private final TestRedis redis;
    private final List<ArqonBusExtension> nodes = new ArrayList<>();
    private final List<TestClient> clients = new ArrayList<>();

    ClusterPresenceTest(TestRedis redis) {
        this.redis = redis;
    }

    @BeforeEach
    void startThreeNodes() {
        RedisConfig shared = redis.config();
        for (String id : List.of("a", "b", "c")) {
            ArqonBusExtension node = new ArqonBusExtension(b -> b.redis(shared).cluster(shared).nodeId("node-" + id)
                    .clusterPresenceTtl(TTL));
            node.start();
            nodes.add(node);
        }
    }

    @AfterEach
    void stopNodes() {
        clients.forEach(TestClient::close);
        for (ArqonBusExtension node : nodes) {
            node.afterEach(null);
            node.stop();
        }
    }

    private TestClient on(int node) {
        TestClient client = nodes.get(node).connect();
        clients.add(client);
        return client;
    }

    private static JsonNode data(JsonNode reply) {
        assertThat(reply.path("status").asText()).as(reply.toString()).isEqualTo("success");
        return reply.path("payload").path("data");
    }

    private static JsonNode presence(TestClient asker, String channel) throws Exception {
        return data(asker.command("presence", TestClient.object().put("room", "hall").put("channel", channel)).get());
    }

    @Test
    void theMembersOfANodeThatStopsWithoutLeavingVanishWithinTheTtl() throws Exception {
        TestClient onA = on(0);
        TestClient onB = on(1);
        TestClient onC = on(2);
        for (TestClient client : List.of(onA, onB, onC)) {
            data(client.joinChannel("hall", "lobby").get());
        }
        assertThat(presence(onA, "lobby").path("count").asInt()).isEqualTo(3);
        // For two TTLs: the heartbeat keeps the entries alive while the node lives.
        await().during(TTL.multipliedBy(2)).atMost(TTL.multipliedBy(3)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(presence(onA, "lobby").path("count").asInt()).isEqualTo(3));

        RedisMemberDirectory directoryOfC = (RedisMemberDirectory) nodes.get(2).components().hub().members();
        long stopped = System.nanoTime();
        directoryOfC.halt();
        assertThat(presence(onA, "lobby").path("count").asInt()).as("not left: still there at first").isEqualTo(3);
        await().atMost(TTL.plusSeconds(2)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            JsonNode lobby = presence(onB, "lobby");
            assertThat(lobby.path("count").asInt()).isEqualTo(2);
            assertThat(lobby.path("clients").findValuesAsText("client_id"))
                    .containsExactlyInAnyOrder(onA.clientId(), onB.clientId());
        });
        Duration gone = Duration.ofNanos(System.nanoTime() - stopped);
        assertThat(gone).as("vanished within the TTL (and a poll)").isLessThan(TTL.plusMillis(500));
        JsonNode list = data(onA.command("list_channels", TestClient.object().put("room", "hall")).get());
        assertThat(list.path("channels").get(0).path("member_count").asInt()).isEqualTo(2);
        assertThat(data(onA.command("channel_info", TestClient.object().put("room", "hall").put("channel", "lobby"))
                .get()).path("member_count").asInt()).isEqualTo(2);
        System.out.println("event=cluster_presence_expired ttl_ms=" + TTL.toMillis() + " gone_ms=" + gone.toMillis());
    }

    @Test
    void statusCountsTheClientsOfEveryNode() throws Exception {
        on(0);
        on(1);
        on(1);
        TestClient onC = on(2);
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(T).untilAsserted(() -> {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(nodes.get(0).httpUri("/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode cluster = TestClient.parse(response.body()).path("cluster");
            assertThat(cluster.path("clients").asInt()).isEqualTo(4);
            assertThat(cluster.path("nodes")).extracting(n -> n.path("clients").asInt()).containsExactly(1, 2, 1);

            JsonNode status = data(onC.command("status", null).get());
            assertThat(status.path("clients").path("total").asInt()).as("this node's own").isEqualTo(1);
            assertThat(status.path("cluster").path("node").asText()).isEqualTo("node-c");
            assertThat(status.path("cluster").path("clients").asInt()).isEqualTo(4);
        });
    }
}
