package io.arqonbus.server.internal.config;

import io.arqonbus.server.config.ConfigException;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.config.StorageMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The storage variables of protocol §8. */
class RedisEnvironmentTest {
    private static ServerConfig config(Map<String, String> env) {
        return new EnvironmentConfig(env).applyTo(ServerConfig.builder()).build();
    }

    @Test
    void memoryAndDegradedByDefault() {
        ServerConfig c = config(Map.of("ARQONBUS_REDIS_URL", "redis://127.0.0.1:6390"));
        assertThat(c.storage().redis()).isNull();
        assertThat(c.storage().mode()).isEqualTo(StorageMode.DEGRADED);
        assertThat(config(Map.of("ARQONBUS_STORAGE_BACKEND", "memory")).storage().redis()).isNull();
    }

    @Test
    void everyRedisBackendNameSelectsRedisFromTheUrl() {
        for (String name : new String[] {"redis", "redis_streams", "REDIS", " valkey ", "valkey_streams"}) {
            RedisConfig r = config(Map.of("ARQONBUS_STORAGE_BACKEND", name,
                    "ARQONBUS_REDIS_URL", "rediss://user:p%40ss@cache.local:6390/3")).storage().redis();
            assertThat(r.backend()).isEqualTo(name.trim().toLowerCase().startsWith("valkey") ? "valkey" : "redis");
            assertThat(r.host()).isEqualTo("cache.local");
            assertThat(r.port()).isEqualTo(6390);
            assertThat(r.username()).isEqualTo("user");
            assertThat(r.password()).isEqualTo("p@ss");
            assertThat(r.ssl()).isTrue();
            assertThat(r.database()).isEqualTo(3);
            assertThat(r.display()).isEqualTo("rediss://user:********@cache.local:6390/3");
        }
    }

    @Test
    void hostPortPasswordSslAndValkeyVariablesTakePrecedence() {
        RedisConfig r = config(Map.of("ARQONBUS_STORAGE_BACKEND", "redis",
                "ARQONBUS_REDIS_HOST", "127.0.0.9", "ARQONBUS_VALKEY_HOST", "127.0.0.5",
                "ARQONBUS_REDIS_PORT", "7001", "ARQONBUS_REDIS_PASSWORD", "secret", "ARQONBUS_REDIS_SSL", "true",
                "ARQONBUS_REDIS_KEY_PREFIX", "bus:", "ARQONBUS_REDIS_TIMEOUT_SECONDS", "0.5",
                "ARQONBUS_STORAGE_MODE", "STRICT")).storage().redis();
        assertThat(r.host()).isEqualTo("127.0.0.5");
        assertThat(r.port()).isEqualTo(7001);
        assertThat(r.password()).isEqualTo("secret");
        assertThat(r.ssl()).isTrue();
        assertThat(r.keyPrefix()).isEqualTo("bus:");
        assertThat(r.commandTimeout()).isEqualTo(Duration.ofMillis(500));

        RedisConfig url = config(Map.of("ARQONBUS_STORAGE_BACKEND", "valkey",
                "ARQONBUS_REDIS_URL", "redis://127.0.0.1:1", "ARQONBUS_VALKEY_URL", "valkey://127.0.0.1:2")).storage().redis();
        assertThat(url.port()).isEqualTo(2);
        RedisConfig defaults = config(Map.of("ARQONBUS_STORAGE_BACKEND", "redis")).storage().redis();
        assertThat(defaults.address()).isEqualTo("127.0.0.1:6379");
        assertThat(defaults.keyPrefix()).isEqualTo("arqonbus:");
        assertThat(config(Map.of("ARQONBUS_STORAGE_MODE", "strict")).storage().mode()).isEqualTo(StorageMode.STRICT);
    }

    @Test
    void badValuesNameTheirVariable() {
        assertThatThrownBy(() -> config(Map.of("ARQONBUS_STORAGE_BACKEND", "mongo")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ARQONBUS_STORAGE_BACKEND");
        assertThatThrownBy(() -> config(Map.of("ARQONBUS_STORAGE_MODE", "sometimes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("degraded or strict");
        assertThatThrownBy(() -> config(Map.of("ARQONBUS_STORAGE_BACKEND", "redis", "ARQONBUS_REDIS_URL", "http://x:1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ARQONBUS_REDIS_URL");
        assertThatThrownBy(() -> config(Map.of("ARQONBUS_STORAGE_BACKEND", "redis",
                "ARQONBUS_REDIS_URL", "redis://:hunter2@h:1/x")))
                .isInstanceOf(ConfigException.class).hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> config(Map.of("ARQONBUS_STORAGE_BACKEND", "redis", "ARQONBUS_REDIS_PORT", "six")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ARQONBUS_REDIS_PORT");
    }
}
