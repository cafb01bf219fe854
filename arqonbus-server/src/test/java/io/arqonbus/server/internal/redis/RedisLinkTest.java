package io.arqonbus.server.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.testing.RedisServer;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One client for every Redis user: a connection per name made once, health from those connections, one close. */
class RedisLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static RedisConfig config(int port) {
        return RedisConfig.of("127.0.0.1", port).withCommandTimeout(Duration.ofSeconds(1));
    }

    @Test
    void eachNamedConnectionIsMadeOnceAndSharedAndTheLinkClosesThemAll() {
        try (RedisServer redis = RedisServer.launch(); RedisLink link = new RedisLink(config(redis.port()))) {
            assertThat(link.down()).contains("redis at 127.0.0.1:" + redis.port() + " is not connected");

            StatefulRedisConnection<String, String> kv = link.connection("arqonbus-kv", StringCodec.UTF8).join();
            assertThat(link.connection("arqonbus-kv", StringCodec.UTF8).join()).isSameAs(kv);
            StatefulRedisConnection<byte[], byte[]> history =
                    link.connection("arqonbus-history", ByteArrayCodec.INSTANCE).join();
            assertThat(history).isNotSameAs(kv);
            assertThat(kv.sync().clientGetname()).isEqualTo("arqonbus-kv");
            assertThat(link.down()).isEmpty();

            link.close();
            link.close();
            await().atMost(WAIT).until(() -> !kv.isOpen() && !history.isOpen());
            assertThat(link.down()).hasValueSatisfying(reason -> assertThat(reason).endsWith("is closed"));
            assertThat(link.connection("arqonbus-kv", StringCodec.UTF8)).isCompletedExceptionally();
        }
    }

    @Test
    void saysWhenTheConnectionIsLostAndWhenItIsBack() {
        try (RedisServer redis = RedisServer.launch(); RedisLink link = new RedisLink(config(redis.port()))) {
            link.connection("arqonbus-kv", StringCodec.UTF8).join();
            redis.stop();
            await().atMost(WAIT).until(() -> link.down()
                    .filter(reason -> reason.equals("lost the connection to redis at 127.0.0.1:" + redis.port()
                            + "; reconnecting")).isPresent());
            redis.start();
            await().atMost(WAIT).until(() -> link.down().isEmpty());
        }
    }

    @Test
    void aFailedAttemptIsForgottenSoTheNextCallConnects() {
        try (RedisServer redis = RedisServer.launch(); RedisLink link = new RedisLink(config(redis.port()))) {
            redis.stop();
            assertThat(link.connection("arqonbus-kv", StringCodec.UTF8))
                    .failsWithin(WAIT);
            assertThat(link.down()).hasValueSatisfying(reason -> assertThat(reason).endsWith("is not connected"));
            redis.start();
            assertThat(link.connection("arqonbus-kv", StringCodec.UTF8)).succeedsWithin(WAIT);
            assertThat(link.down()).isEmpty();
        }
    }
}
