package io.arqonbus.server.internal.httpapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.config.StorageMode;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RedisServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A durable HTTP publication answers once Redis stored it; with Redis stopped it is refused with 503
 * {@code STORAGE_UNAVAILABLE} and not delivered, while a plain one still is.
 */
class HttpApiStorageTest {
    static final RedisServer redis = RedisServer.launch();

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b
            .redis(RedisConfig.of("127.0.0.1", redis.port()).withCommandTimeout(Duration.ofSeconds(2)))
            .storageMode(StorageMode.DEGRADED));

    private final ApiCalls api = new ApiCalls(server);

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void aDurablePublicationWaitsForTheStoreAndIsRefusedWhileItIsDown() throws Exception {
        TestClient sub = server.connect();
        sub.joinChannel("lab", "durable").get(10, TimeUnit.SECONDS);
        ApiCalls.Answer stored = api.post("/api/publish",
                "{\"room\":\"lab\",\"channel\":\"durable\",\"payload\":{\"text\":\"before\"},\"durable\":true}", null);
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.json().path("offset").asLong()).isEqualTo(1);

        redis.stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/health", null).status() == 503);
        ApiCalls.Answer refused = api.post("/api/publish",
                "{\"room\":\"lab\",\"channel\":\"durable\",\"payload\":{\"text\":\"down\"},\"durable\":true}", null);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.code()).isEqualTo("STORAGE_UNAVAILABLE");
        assertThat(api.post("/api/publish",
                "{\"room\":\"lab\",\"channel\":\"durable\",\"payload\":{\"text\":\"plain\"}}", null).status())
                .isEqualTo(200);
        sub.await(f -> "plain".equals(f.path("payload").path("text").asText()), ArqonBusExtension.TIMEOUT);
        assertThat(sub.drain()).noneMatch(f -> "down".equals(f.path("payload").path("text").asText()));
    }
}
