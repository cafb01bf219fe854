package io.arqonbus.server.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RedisServer;
import io.arqonbus.server.testing.TestClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node of a cluster whose Redis is unreachable says so: {@code /health} answers 503
 * {@code degraded} with the reason, {@code /ready} stays 200 with {@code "degraded":true} (the node
 * still serves its clients), and local fan-out goes on, without positions; when Redis returns,
 * {@code /health} is 200 {@code healthy} again and publications cross nodes again.
 */
class ClusterHealthTest {
    private static final Duration T = ArqonBusExtension.TIMEOUT;

    private final List<ArqonBusExtension> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
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
        http.close();
    }

    private HttpResponse<String> get(ArqonBusExtension node, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(node.httpUri(path)).timeout(T).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean message(JsonNode f, int seq) {
        return "message".equals(f.path("type").asText()) && f.path("payload").path("seq").asInt() == seq;
    }

    @Test
    void healthSaysDegradedDuringARedisOutageWhileLocalFanOutGoesOn() throws Exception {
        redis = RedisServer.launch();
        RedisConfig shared = RedisConfig.of("127.0.0.1", redis.port()).withCommandTimeout(Duration.ofSeconds(2));
        for (String id : List.of("a", "b")) {
            ArqonBusExtension node = new ArqonBusExtension(b -> b.redis(shared).cluster(shared).nodeId("node-" + id));
            node.start();
            nodes.add(node);
        }
        for (ArqonBusExtension node : nodes) {
            HttpResponse<String> health = get(node, "/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(TestClient.parse(health.body()).path("status").asText()).isEqualTo("healthy");
        }
        TestClient publisher = nodes.get(0).connect();
        TestClient onA = nodes.get(0).connect();
        TestClient onB = nodes.get(1).connect();
        for (TestClient client : List.of(publisher, onA, onB)) {
            client.joinChannel("science", "health").get(T.toMillis(), TimeUnit.MILLISECONDS);
        }

        redis.stop();
        for (ArqonBusExtension node : nodes) {
            await().atMost(T).until(() -> get(node, "/health").statusCode() == 503);
            JsonNode health = TestClient.parse(get(node, "/health").body());
            assertThat(health.path("status").asText()).isEqualTo("degraded");
            assertThat(health.path("reasons").toString()).as("%s", health).contains("redis");
            HttpResponse<String> ready = get(node, "/ready");
            assertThat(ready.statusCode()).as("still serving: %s", ready.body()).isEqualTo(200);
            assertThat(TestClient.parse(ready.body()).path("degraded").asBoolean()).as(ready.body()).isTrue();
        }
        // Local fan-out goes on: the member on the publisher's node receives, without a position.
        for (int seq = 1; seq <= 20; seq++) {
            publisher.publish("science", "health", Map.of("seq", seq));
        }
        for (int seq = 1; seq <= 20; seq++) {
            final int expected = seq;
            JsonNode got = onA.await(f -> message(f, expected), T);
            assertThat(got.path("metadata").has("offset")).as("no position while Redis is down").isFalse();
        }

        redis.start();
        for (ArqonBusExtension node : nodes) {
            await().atMost(Duration.ofSeconds(30)).until(() -> get(node, "/health").statusCode() == 200);
        }
        int[] seq = {100};
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            seq[0]++;
            publisher.publish("science", "health", Map.of("seq", seq[0]));
            return onB.poll(Duration.ofMillis(400)) instanceof JsonNode f && f.path("payload").path("seq").asInt() > 100;
        });
        assertThat(onB.drain()).as("what was delivered locally during the outage does not reach other nodes")
                .noneMatch(f -> f.path("payload").path("seq").asInt() <= 20);
    }
}
