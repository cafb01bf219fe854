package io.arqonbus.server.internal.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.testing.NettyLeakExtension;
import io.arqonbus.server.testing.RedisLinks;
import io.arqonbus.server.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis Streams store passes the durable store contract against a real Redis. */
@ExtendWith({TestRedis.class, NettyLeakExtension.class})
class RedisHistoryStoreTest extends DurableHistoryStoreContract {
    private RedisConfig redis;
    @RegisterExtension
    final RedisLinks links = new RedisLinks();

    @BeforeEach
    void freshPrefix(TestRedis testRedis) {
        redis = testRedis.config();
    }

    @Override
    protected HistoryStore create(int maxPerStream, Duration maxAge) {
        return new RedisHistoryStore(links.open(redis), maxPerStream, maxAge, clock, codec);
    }

    @Override
    protected HistoryStore reopen(int maxPerStream, Duration maxAge) {
        return create(maxPerStream, maxAge);
    }

    @Test
    void saysWhichBackendItIsAndIsHealthyOnceOpen() {
        HistoryStore store = store();
        assertThat(store.backend()).isEqualTo("redis");
        assertThat(store.health()).isEqualTo(StoreHealth.UP);
    }

    @Test
    void channelNamesWithColonsAndBracesAndRoomWideStreamsKeepTheirKeysAcrossARestart() {
        ChannelKey odd = ChannelKey.of("r{1}", "a:b}:c");
        ChannelKey roomWide = ChannelKey.roomWide("r{1}");
        HistoryStore store = store();
        append(store, odd, 4, EPOCH, T0);
        append(store, roomWide, 9, EPOCH, T0);
        store.close();

        HistoryStore again = track(create(100, Duration.ofHours(1)));
        assertThat(again.open()).containsEntry(odd, new StreamPosition(4, EPOCH))
                .containsEntry(roomWide, new StreamPosition(9, EPOCH)).hasSize(2);
        assertThat(offsets(join(again.read(odd, 0, 10, false)))).containsExactly(4L);
    }

    @Test
    void aTimeQueryFindsItsRangeInsideALongStreamAndTheAgeBoundTrimsIt() {
        HistoryStore store = store(10_000, Duration.ofHours(1));
        List<java.util.concurrent.CompletableFuture<Void>> futures = new java.util.ArrayList<>();
        for (long i = 1; i <= 3_000; i++) {
            futures.add(appendAsync(store, EXPLORE, i, EPOCH, T0.plusMillis(i)));
        }
        join(java.util.concurrent.CompletableFuture.allOf(futures.toArray(java.util.concurrent.CompletableFuture[]::new)));

        List<StoredMessage> earliest = join(store.query(new HistoryQuery("science", "explore",
                T0.plusMillis(1_234), T0.plusMillis(1_240), 3, HistoryQuery.Window.EARLIEST, false)));
        assertThat(offsets(earliest)).containsExactly(1_234L, 1_235L, 1_236L);
        List<StoredMessage> latest = join(store.query(new HistoryQuery("science", "explore",
                T0.plusMillis(1_234), T0.plusMillis(1_240), 3, HistoryQuery.Window.LATEST, true)));
        assertThat(offsets(latest)).containsExactly(1_239L, 1_238L, 1_237L);

        // One hour later, entries 1..1999 are past the age bound; reads skip them.
        clock.advance(Duration.ofHours(1).plusMillis(2_000));
        assertThat(offsets(join(store.read(EXPLORE, 0, 2, false)))).containsExactly(2_000L, 2_001L);
        assertThat(offsets(join(store.read(EXPLORE, 2_500, 2, false)))).containsExactly(2_501L, 2_502L);
    }

    @Test
    void whenRedisCannotBeReachedOpenAndAppendsFailWithStoreUnavailable() {
        RedisConfig nowhere = RedisConfig.of("127.0.0.1", 1).withCommandTimeout(Duration.ofMillis(500));
        HistoryStore store = track(new RedisHistoryStore(links.open(nowhere), 100, Duration.ofHours(1), clock, codec));

        assertThatThrownBy(store::open).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("127.0.0.1:1");
        assertThat(store.health().available()).isFalse();
        assertThat(appendAsync(store, EXPLORE, 1, EPOCH, T0)).failsWithin(Duration.ofSeconds(5))
                .withThrowableThat().havingRootCause().isInstanceOf(StoreUnavailableException.class);
    }
}
