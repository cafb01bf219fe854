package io.arqonbus.server.internal.kv;

import io.arqonbus.server.config.KvLimits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RedisServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code op.store.*} over the wire: the shapes of protocol §5, the limits, and a Redis outage. */
class StoreCommandsTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.kvLimits(new KvLimits(64, 3, 16)));

    static JsonNode reply(TestClient client, String command, String args) throws Exception {
        return client.command(command, TestClient.parse(args))
                .get(ArqonBusExtension.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    static JsonNode data(JsonNode reply) {
        assertThat(reply.path("status").asText()).as("%s", reply).isEqualTo("success");
        return reply.path("payload").path("data");
    }

    static void assertError(JsonNode reply, String code, String text) {
        assertThat(reply.path("status").asText()).as("%s", reply).isEqualTo("error");
        assertThat(reply.path("error_code").asText()).isEqualTo(code);
        assertThat(reply.path("error").asText()).contains(text);
    }

    @Test
    void setGetListDeleteAnswerWithTheOriginalsShapes() throws Exception {
        TestClient c = server.connect();
        assertThat(data(reply(c, "op.store.set", "{\"key\":\"b\",\"value\":{\"x\":[1,2]}}")).toString())
                .isEqualTo("{\"namespace\":\"default\",\"key\":\"b\",\"updated\":false}");
        assertThat(data(reply(c, "op.store.set", "{\"key\":\"b\",\"value\":\"text\"}")).path("updated").asBoolean())
                .isTrue();
        data(reply(c, "op.store.set", "{\"key\":\"a\",\"value\":0}"));
        assertThat(data(reply(c, "op.store.get", "{\"key\":\"b\"}")).toString())
                .isEqualTo("{\"namespace\":\"default\",\"key\":\"b\",\"found\":true,\"value\":\"text\"}");
        assertThat(data(reply(c, "op.store.get", "{\"key\":\"zz\"}")).toString())
                .isEqualTo("{\"namespace\":\"default\",\"key\":\"zz\",\"found\":false,\"value\":null}");
        assertThat(data(reply(c, "op.store.list", "{}")).toString())
                .isEqualTo("{\"namespace\":\"default\",\"count\":2,\"keys\":[\"a\",\"b\"]}");
        assertThat(data(reply(c, "op.store.delete", "{\"key\":\"a\"}")).toString())
                .isEqualTo("{\"namespace\":\"default\",\"key\":\"a\",\"deleted\":true}");
        assertThat(data(reply(c, "op.store.delete", "{\"key\":\"a\"}")).path("deleted").asBoolean()).isFalse();
        data(reply(c, "op.store.delete", "{\"key\":\"b\"}"));

        JsonNode other = data(reply(c, "op.store.set", "{\"namespace\":\"agents\",\"key\":\"k\",\"value\":false}"));
        assertThat(other.path("namespace").asText()).isEqualTo("agents");
        assertThat(data(reply(c, "op.store.get", "{\"namespace\":\"agents\",\"key\":\"k\"}")).path("value").isBoolean())
                .isTrue();
        JsonNode full = reply(c, "op.store.get", "{\"namespace\":\"agents\",\"key\":\"k\"}");
        assertThat(full.path("type").asText()).isEqualTo("response");
        assertThat(full.path("command").asText()).isEqualTo("op.store.get");
    }

    @Test
    void badArgumentsAndLimitsAnswerWithCodedErrorsAndTheConnectionStaysUsable() throws Exception {
        TestClient c = server.connect();
        assertError(reply(c, "op.store.set", "{\"key\":\"k\"}"), "VALIDATION_ERROR", "'value' is required");
        assertError(reply(c, "op.store.set", "{\"key\":\"k\",\"value\":null}"), "VALIDATION_ERROR",
                "'value' is required");
        assertError(reply(c, "op.store.set", "{\"value\":1}"), "VALIDATION_ERROR", "'key' is required");
        assertError(reply(c, "op.store.get", "{\"key\":7}"), "VALIDATION_ERROR", "'key' must be a string");
        assertError(reply(c, "op.store.get", "{\"key\":\"" + "k".repeat(17) + "\"}"), "VALIDATION_ERROR",
                "'key' must be 1-16 characters");
        assertError(reply(c, "op.store.list", "{\"namespace\":\"a\\nb\"}"), "VALIDATION_ERROR", "control characters");
        assertError(reply(c, "op.store.set", "{\"key\":\"big\",\"value\":\"" + "x".repeat(63) + "\"}"),
                "VALIDATION_ERROR", "'value' is 65 bytes of JSON; the limit is 64 (ARQONBUS_KV_MAX_VALUE_BYTES)");
        for (int i = 0; i < 3; i++) {
            data(reply(c, "op.store.set", "{\"namespace\":\"full\",\"key\":\"k" + i + "\",\"value\":1}"));
        }
        assertError(reply(c, "op.store.set", "{\"namespace\":\"full\",\"key\":\"k3\",\"value\":1}"), "CONFLICT",
                "holds the maximum of 3 keys");
        data(reply(c, "op.store.set", "{\"namespace\":\"full\",\"key\":\"k2\",\"value\":2}"));
        assertThat(data(reply(c, "ping", "{}")).path("pong").asBoolean()).isTrue();
    }

    @Test
    void withRedisTheStoreIsSharedAcrossRestartsAndAnOutageAnswersStorageUnavailable() throws Exception {
        try (RedisServer redis = RedisServer.launch()) {
            RedisConfig config = RedisConfig.of("127.0.0.1", redis.port()).withCommandTimeout(Duration.ofSeconds(1));
            ArqonBusExtension bus = new ArqonBusExtension(b -> b.redis(config));
            bus.start();
            try {
                TestClient c = bus.connect();
                data(reply(c, "op.store.set", "{\"key\":\"k\",\"value\":{\"v\":1}}"));
                bus.stop();
                bus.start();
                c = bus.connect();
                assertThat(data(reply(c, "op.store.get", "{\"key\":\"k\"}")).path("value").toString())
                        .isEqualTo("{\"v\":1}");
                assertThat(RedisServer.ping("127.0.0.1", redis.port())).isTrue();

                redis.stop();
                assertError(reply(c, "op.store.get", "{\"key\":\"k\"}"), "STORAGE_UNAVAILABLE",
                        "The store is unavailable");
                assertError(reply(c, "op.store.set", "{\"key\":\"k\",\"value\":2}"), "STORAGE_UNAVAILABLE", "redis");
                assertThat(data(reply(c, "ping", "{}")).path("pong").asBoolean()).isTrue();
                c.abort();
            } finally {
                bus.stop();
            }
        }
    }
}
