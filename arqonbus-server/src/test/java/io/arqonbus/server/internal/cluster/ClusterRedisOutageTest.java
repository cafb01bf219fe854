package io.arqonbus.server.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes and a redis-server of their own that is stopped and started again: meanwhile each
 * node delivers ordinary publications to its local members only (no position), refuses durable
 * ones with {@code STORAGE_UNAVAILABLE}; once Redis is back, publications cross nodes again.
 */
class ClusterRedisOutageTest {
    private static final Duration T = ArqonBusExtension.TIMEOUT;

    private final List<ArqonBusExtension> nodes = new ArrayList<>();
    private RedisServer redis;

    @AfterEach
    void stop() {
        for (ArqonBusExtension node : nodes) {
            node.afterEach(null);
            node.stop();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static boolean message(JsonNode f, int seq) {
        return "message".equals(f.path("type").asText()) && f.path("payload").path("seq").asInt() == seq;
    }

    @Test
    void localDeliveryGoesOnDurableIsRefusedAndTrafficCrossesNodesAgainWhenRedisReturns() throws Exception {
        redis = RedisServer.launch();
        RedisConfig shared = RedisConfig.of("127.0.0.1", redis.port()).withCommandTimeout(Duration.ofSeconds(2));
        for (String id : List.of("a", "b")) {
            ArqonBusExtension node = new ArqonBusExtension(b -> b.redis(shared).cluster(shared).nodeId("node-" + id));
            node.start();
            nodes.add(node);
        }
        TestClient publisher = nodes.get(0).connect();
        TestClient onA = nodes.get(0).connect();
        TestClient onB = nodes.get(1).connect();
        for (TestClient client : List.of(publisher, onA, onB)) {
            client.joinChannel("science", "outage").get();
        }
        publisher.publish("science", "outage", Map.of("seq", 1));
        onB.await(f -> message(f, 1), T);

        redis.stop();
        await().atMost(T).until(() -> nodes.get(0).components().history().health().available() == false);
        publisher.publish("science", "outage", Map.of("seq", 2));
        JsonNode local = onA.await(f -> message(f, 2), T);
        assertThat(local.path("metadata").has("offset")).as("delivered here without a position").isFalse();

        ObjectNode durable = TestClient.object();
        durable.put("id", "arq_out_1");
        durable.put("type", "message");
        durable.put("room", "science");
        durable.put("channel", "outage");
        durable.put("ack", "durable");
        durable.putObject("payload").put("seq", 3);
        publisher.send(durable);
        JsonNode refused = publisher.await(f -> "error".equals(f.path("type").asText())
                && "arq_out_1".equals(f.path("request_id").asText()), T);
        assertThat(refused.path("error_code").asText()).isEqualTo("STORAGE_UNAVAILABLE");

        redis.start();
        // Once the nodes reconnected and resubscribed, publications cross nodes again.
        int[] seq = {100};
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            seq[0]++;
            publisher.publish("science", "outage", Map.of("seq", seq[0]));
            return onB.poll(Duration.ofMillis(400)) instanceof JsonNode f && f.path("payload").path("seq").asInt() > 100;
        });
        assertThat(onB.drain()).noneMatch(f -> message(f, 2) || message(f, 3));
    }
}
