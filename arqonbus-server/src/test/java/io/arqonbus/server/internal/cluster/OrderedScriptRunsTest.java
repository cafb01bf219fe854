package io.arqonbus.server.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.internal.redis.RedisLink;
import io.arqonbus.server.testing.TestRedis;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On a real redis-server: a script's runs keep the order they were asked for while Redis loses its
 * script cache again and again under them ({@code SCRIPT FLUSH} from another connection, as a
 * restart does), so a run answered {@code NOSCRIPT} and sent again is never overtaken by a later one.
 */
@ExtendWith(TestRedis.class)
class OrderedScriptRunsTest {
    private static final byte[] APPEND = "redis.call('RPUSH', KEYS[1], ARGV[1]) return {redis.call('LLEN', KEYS[1])}"
            .getBytes(StandardCharsets.UTF_8);
    private static final int RUNS = 5_000;

    @Test
    void runsKeepTheirOrderWhileRedisLosesItsScriptCache(TestRedis redis) throws Exception {
        RedisConfig config = redis.config();
        try (RedisLink link = new RedisLink(config)) {
            StatefulRedisConnection<byte[], byte[]> conn = link.connection("runs", ByteArrayCodec.INSTANCE)
                    .get(10, TimeUnit.SECONDS);
            StatefulRedisConnection<byte[], byte[]> flusher = link.connection("flusher", ByteArrayCodec.INSTANCE)
                    .get(10, TimeUnit.SECONDS);
            String digest = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(APPEND));
            conn.sync().scriptLoad(APPEND);
            OrderedScriptRuns runs = new OrderedScriptRuns(APPEND, digest);
            byte[] key = (config.keyPrefix() + "order").getBytes(StandardCharsets.UTF_8);

            List<CompletableFuture<List<Object>>> replies = new ArrayList<>();
            int flushes = 0;
            for (int i = 0; i < RUNS; i++) {
                replies.add(runs.run(conn, new byte[][] {key},
                        new byte[][] {Integer.toString(i).getBytes(StandardCharsets.UTF_8)}));
                if (i % 500 == 250) {
                    flusher.async().scriptFlush();
                    flushes++;
                }
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            List<byte[]> stored = conn.sync().lrange(key, 0, -1);
            List<Integer> order = stored.stream().map(b -> Integer.parseInt(new String(b, StandardCharsets.UTF_8)))
                    .toList();
            assertThat(order).as("after %d flushes", flushes).hasSize(RUNS)
                    .isEqualTo(java.util.stream.IntStream.range(0, RUNS).boxed().toList());
            assertThat(runs.recovering()).isFalse();
            conn.sync().del(key);
        }
    }
}
