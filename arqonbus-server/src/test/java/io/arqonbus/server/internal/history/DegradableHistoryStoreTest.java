package io.arqonbus.server.internal.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.config.StorageMode;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.testing.MutableClock;
import io.arqonbus.server.testing.NettyLeakExtension;
import io.arqonbus.server.testing.RedisLinks;
import io.arqonbus.server.testing.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Redis store's outage handling against a real {@code redis-server} this test stops and
 * starts: degraded mode falls back to memory and comes back by itself, strict mode refuses.
 */
@ExtendWith(NettyLeakExtension.class)
class DegradableHistoryStoreTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ChannelKey KEY = ChannelKey.of("science", "explore");
    private static final String EPOCH = "e1";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T06:00:00Z"));
    private final EnvelopeCodec codec = new EnvelopeCodec(new IdGenerator(), clock);
    private final List<HistoryStore> stores = new ArrayList<>();
    @RegisterExtension
    final RedisLinks links = new RedisLinks();
    private RedisServer redis;

    @BeforeEach
    void startRedis() {
        redis = RedisServer.launch();
    }

    @AfterEach
    void stopEverything() {
        stores.forEach(HistoryStore::close);
        redis.close();
    }

    private DegradableHistoryStore store(StorageMode mode) {
        RedisConfig config = RedisConfig.of("127.0.0.1", redis.port())
                .withKeyPrefix("t" + System.nanoTime() + ":").withCommandTimeout(Duration.ofSeconds(2));
        RedisHistoryStore remote = new RedisHistoryStore(links.open(config), 100, Duration.ofHours(1), clock, codec);
        DegradableHistoryStore store = new DegradableHistoryStore(remote, remote::ping, mode,
                () -> new MemoryHistoryStore(100, Duration.ofHours(1), clock, codec), Duration.ofMillis(100),
                Duration.ofSeconds(2), clock);
        stores.add(store);
        return store;
    }

    private CompletableFuture<Void> append(HistoryStore store, long offset) {
        return HistoryStoreContract.appendAsync(store, KEY, offset, EPOCH, clock.instant());
    }

    private static List<Long> offsets(HistoryStore store) {
        return HistoryStoreContract.offsets(store.read(KEY, 0, 100, false).join());
    }

    private static void assertRefused(CompletableFuture<Void> append) {
        assertThatThrownBy(append::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(StoreUnavailableException.class);
    }

    /** The message of the {@link StoreUnavailableException} a refused append failed with. */
    private static String refusal(CompletableFuture<Void> append) {
        assertRefused(append);
        return catchThrowable(append::join).getCause().getMessage();
    }

    @Test
    void redisDownAtStartServesFromMemoryAndSwitchesBackWhenItComes() {
        redis.stop();
        DegradableHistoryStore store = store(StorageMode.DEGRADED);

        assertThat(store.open()).isEmpty();
        assertThat(store.degraded()).isTrue();
        assertThat(store.health().available()).isFalse();
        assertThat(store.health().detail()).contains("serving history from memory").contains(redis.port() + "");
        assertRefused(append(store, 1));
        assertThat(offsets(store)).containsExactly(1L);

        redis.start();
        await().atMost(WAIT).until(() -> store.health().available());
        assertThat(store.degraded()).isFalse();
        append(store, 2).join();
        assertThat(offsets(store)).containsExactly(2L);
    }

    @Test
    void redisLostWhileRunningKeepsAppendsInMemoryRefusesThemAndRecoversWithoutARestart() {
        DegradableHistoryStore store = store(StorageMode.DEGRADED);
        store.open();
        append(store, 1).join();
        assertThat(store.health()).isEqualTo(StoreHealth.UP);

        redis.stop();
        await().atMost(WAIT).until(() -> !store.health().available());
        assertThat(refusal(append(store, 2))).contains("redis at 127.0.0.1:" + redis.port())
                .endsWith(" (the message is kept in memory only)");
        assertRefused(append(store, 3));
        assertThat(offsets(store)).containsExactly(2L, 3L);
        assertThat(store.size()).isEqualTo(2);

        redis.start();
        await().atMost(WAIT).until(() -> store.health().available());
        append(store, 4).join();
        // Redis restarted empty (no persistence in this test): only what came after is there.
        assertThat(offsets(store)).containsExactly(4L);
    }

    @Test
    void appendsOfOneStreamCompleteInOrderAcrossAnOutage() {
        DegradableHistoryStore store = store(StorageMode.DEGRADED);
        store.open();
        List<Long> completed = java.util.Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (long i = 1; i <= 200; i++) {
            long offset = i;
            if (i == 100) {
                redis.stop();
            }
            all.add(append(store, i).whenComplete((v, e) -> completed.add(offset)));
        }
        await().atMost(WAIT).until(() -> all.stream().allMatch(CompletableFuture::isDone));
        assertThat(completed).isSorted().hasSize(200);
        assertRefused(all.get(199));
    }

    @Test
    void strictModeRefusesToOpenWithoutRedis() {
        redis.stop();
        DegradableHistoryStore store = store(StorageMode.STRICT);

        assertThatThrownBy(store::open).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("ARQONBUS_STORAGE_MODE=strict")
                .hasMessageContaining("127.0.0.1:" + redis.port());
    }

    @Test
    void strictModeRefusesWritesWhileRedisIsDownAndResumesAfter() {
        DegradableHistoryStore store = store(StorageMode.STRICT);
        store.open();
        append(store, 1).join();

        redis.stop();
        await().atMost(WAIT).until(() -> !store.health().available());
        assertThat(refusal(append(store, 2))).startsWith("redis at 127.0.0.1:" + redis.port());
        assertThat(store.degraded()).isFalse();
        assertThatThrownBy(() -> store.read(KEY, 0, 10, false).join())
                .hasCauseInstanceOf(StoreUnavailableException.class);

        redis.start();
        await().atMost(WAIT).until(() -> store.health().available());
        append(store, 3).join();
        assertThat(offsets(store)).containsExactly(3L);
    }
}
