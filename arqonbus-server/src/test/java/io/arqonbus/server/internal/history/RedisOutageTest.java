package io.arqonbus.server.internal.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.config.StorageMode;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RedisServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Acceptance (issue 4, item 7): a server with Redis history keeps serving while Redis is stopped —
 * ordinary publications are delivered, {@code /health} says degraded, a durable publication is
 * refused with {@code STORAGE_UNAVAILABLE} and not delivered — and takes durable acks again once
 * Redis is back on the same port, without a restart.
 */
class RedisOutageTest {
    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private static final Duration RECOVERY = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static final RedisServer redis = RedisServer.launch();

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b
            .redis(RedisConfig.of("127.0.0.1", redis.port()).withCommandTimeout(Duration.ofSeconds(2)))
            .storageMode(StorageMode.DEGRADED));

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.httpUri(path)).timeout(T).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void publishDurable(TestClient client, String id, String text) {
        client.sendText("{\"id\":\"" + id + "\",\"type\":\"message\",\"room\":\"lab\",\"channel\":\"durable\","
                + "\"payload\":{\"text\":\"" + text + "\"},\"ack\":\"durable\"}").join();
    }

    private static JsonNode reply(TestClient client, String requestId) throws TimeoutException {
        return client.await(f -> requestId.equals(f.path("request_id").asText())
                && ("ack".equals(f.path("type").asText()) || "error".equals(f.path("type").asText())), T);
    }

    private static JsonNode message(TestClient client, String text) throws TimeoutException {
        return client.await(f -> "message".equals(f.path("type").asText())
                && text.equals(f.path("payload").path("text").asText()), T);
    }

    private static double storageAvailable() throws Exception {
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith("arqonbus_storage_available")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no arqonbus_storage_available in /metrics");
    }

    @Test
    void redisStoppedDuringARunDegradesThenRecoversWithoutARestart() throws Exception {
        assertThat(server.components().history().backend()).isEqualTo("redis");
        TestClient publisher = server.connect();
        TestClient subscriber = server.connect();
        publisher.joinChannel("lab", "durable").get();
        subscriber.joinChannel("lab", "durable").get();

        publishDurable(publisher, "arq_before", "before");
        JsonNode ack = reply(publisher, "arq_before");
        assertThat(ack.path("type").asText()).isEqualTo("ack");
        assertThat(ack.path("status").asText()).isEqualTo("success");
        assertThat(message(subscriber, "before").path("metadata").path("offset").asLong()).isEqualTo(1);
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(storageAvailable()).isEqualTo(1.0);

        // Redis goes away.
        redis.stop();
        await().atMost(RECOVERY).until(() -> get("/health").statusCode() == 503);
        JsonNode health = JSON.readTree(get("/health").body());
        assertThat(health.path("status").asText()).isEqualTo("degraded");
        assertThat(health.path("reasons").get(0).asText()).contains("redis").contains("memory");
        HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).path("degraded").asBoolean()).isTrue();
        assertThat(storageAvailable()).isZero();

        // Ordinary traffic still flows; a durable publication is refused and not delivered.
        publisher.publish("lab", "durable", Map.of("text", "plain while down")).join();
        message(subscriber, "plain while down");
        publishDurable(publisher, "arq_down", "durable while down");
        JsonNode refused = reply(publisher, "arq_down");
        assertThat(refused.path("type").asText()).isEqualTo("error");
        assertThat(refused.path("error_code").asText()).isEqualTo("STORAGE_UNAVAILABLE");
        publisher.publish("lab", "durable", Map.of("text", "marker")).join();
        message(subscriber, "marker");
        assertThat(subscriber.drain()).noneMatch(f -> "durable while down".equals(f.path("payload").path("text").asText()));

        // Redis comes back on the same port: durable acks work again, no restart.
        redis.start();
        await().atMost(RECOVERY).until(() -> get("/health").statusCode() == 200);
        assertThat(JSON.readTree(get("/health").body()).path("status").asText()).isEqualTo("healthy");
        publishDurable(publisher, "arq_after", "after");
        JsonNode after = reply(publisher, "arq_after");
        assertThat(after.path("type").asText()).isEqualTo("ack");
        assertThat(after.path("status").asText()).isEqualTo("success");
        message(subscriber, "after");
        assertThat(storageAvailable()).isEqualTo(1.0);
        assertThat(JSON.readTree(get("/ready").body()).has("degraded")).isFalse();
    }
}
