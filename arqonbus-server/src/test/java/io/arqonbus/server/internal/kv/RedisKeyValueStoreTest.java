package io.arqonbus.server.internal.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.internal.history.StoreUnavailableException;
import io.arqonbus.server.testing.RedisServer;
import io.arqonbus.server.testing.RedisLinks;
import io.arqonbus.server.testing.TestRedis;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis store passes the contract against a real Redis, keeps its keys under the prefix, and survives outages. */
@ExtendWith(TestRedis.class)
class RedisKeyValueStoreTest extends KeyValueStoreContract {
    private RedisConfig redis;
    @RegisterExtension
    final RedisLinks links = new RedisLinks();

    @BeforeEach
    void freshPrefix(TestRedis testRedis) {
        redis = testRedis.config();
    }

    @Override
    protected KeyValueStore create(int maxKeys) {
        return new RedisKeyValueStore(links.open(redis), maxKeys);
    }

    @Test
    void keepsEachNamespaceInOneHashUnderThePrefixAndAnotherStoreSeesIt() {
        RedisKeyValueStore store = (RedisKeyValueStore) store();
        assertThat(store.redisKey("tenant:t1")).isEqualTo(redis.keyPrefix() + "kv:tenant:t1");
        join(store.set("tenant:t1", "k", "{\"v\":1}"));
        KeyValueStore again = store();
        assertThat(join(again.get("tenant:t1", "k"))).contains("{\"v\":1}");
        assertThat(again.backend()).isEqualTo("redis");
    }

    @Test
    void whileRedisIsDownCallsFailWithStoreUnavailableAndWorkAgainWhenItIsBack() {
        try (RedisServer own = RedisServer.launch()) {
            KeyValueStore store = new RedisKeyValueStore(links.open(RedisConfig.of("127.0.0.1", own.port())
                    .withKeyPrefix("outage:").withCommandTimeout(Duration.ofSeconds(1))), MAX_KEYS);
            try {
                join(store.set("ns", "k", "1"));
                own.stop();
                assertThatThrownBy(() -> join(store.get("ns", "k")))
                        .isInstanceOf(CompletionException.class)
                        .hasCauseInstanceOf(StoreUnavailableException.class);
                own.start();
                await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                        .until(() -> join(store.set("ns", "k2", "2")) != null);
                assertThat(join(store.keys("ns"))).containsExactly("k2");
            } finally {
                store.close();
            }
        }
    }

    @Test
    void aRedisThatNeverAnsweredFailsCallsAndNeverBlocks() {
        try (RedisServer own = RedisServer.launch()) {
            int port = own.port();
            own.stop();
            KeyValueStore store = new RedisKeyValueStore(links.open(RedisConfig.of("127.0.0.1", port)
                    .withCommandTimeout(Duration.ofSeconds(1))), MAX_KEYS);
            try {
                assertThatThrownBy(() -> join(store.keys("ns")))
                        .isInstanceOf(CompletionException.class)
                        .hasCauseInstanceOf(StoreUnavailableException.class);
            } finally {
                store.close();
            }
        }
    }
}
