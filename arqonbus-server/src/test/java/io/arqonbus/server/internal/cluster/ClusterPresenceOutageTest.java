package io.arqonbus.server.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RedisServer;
import io.arqonbus.server.testing.TestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes and a redis-server of their own, stopped and started again empty: meanwhile presence
 * and member counts answer at once with the asked node's own members (not after the command
 * timeout); once Redis is back, each node's heartbeat writes its members again, so presence covers
 * both nodes again, without the member who left meanwhile.
 */
class ClusterPresenceOutageTest {
    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private static final Duration TTL = Duration.ofMillis(1500);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(3);

    private final List<ArqonBusExtension> nodes = new ArrayList<>();
    private final List<TestClient> clients = new ArrayList<>();
    private RedisServer redis;

    @AfterEach
    void stop() {
        clients.forEach(TestClient::close);
        for (ArqonBusExtension node : nodes) {
            node.afterEach(null);
            node.stop();
        }
        if (redis != null) {
            redis.close();
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

    private static List<String> presence(TestClient asker) throws Exception {
        return data(asker.command("presence", TestClient.object().put("room", "hall").put("channel", "lobby")).get())
                .path("clients").findValuesAsText("client_id");
    }

    @Test
    void presenceFallsBackToTheNodesOwnMembersAndCoversEveryNodeAgainWhenRedisReturns() throws Exception {
        redis = RedisServer.launch();
        RedisConfig shared = RedisConfig.of("127.0.0.1", redis.port()).withCommandTimeout(COMMAND_TIMEOUT);
        for (String id : List.of("a", "b")) {
            ArqonBusExtension node = new ArqonBusExtension(b -> b.redis(shared).cluster(shared).nodeId("node-" + id)
                    .clusterPresenceTtl(TTL));
            node.start();
            nodes.add(node);
        }
        TestClient ann = on(0);
        TestClient cat = on(0);
        TestClient ben = on(1);
        for (TestClient client : List.of(ann, cat, ben)) {
            data(client.joinChannel("hall", "lobby").get());
        }
        assertThat(presence(ben)).containsExactlyInAnyOrder(ann.clientId(), cat.clientId(), ben.clientId());

        redis.stop();
        await().atMost(T).until(() -> !nodes.get(0).components().history().health().available());
        long asked = System.nanoTime();
        assertThat(data(cat.leaveChannel("hall", "lobby").get()).path("member_count").asInt())
                .as("this node's own count").isEqualTo(1);
        assertThat(presence(ann)).containsExactly(ann.clientId());
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("answered without waiting for Redis")
                .isLessThan(COMMAND_TIMEOUT);

        redis.start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(presence(ben)).containsExactlyInAnyOrder(ann.clientId(), ben.clientId()));
        assertThat(data(ann.command("channel_info", TestClient.object().put("room", "hall").put("channel", "lobby"))
                .get()).path("member_count").asInt()).isEqualTo(2);
    }
}
