package io.arqonbus.server.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.history.HistoryQuery;
import io.arqonbus.server.internal.history.HistoryStore;
import io.arqonbus.server.internal.history.StoredMessage;
import io.arqonbus.server.internal.hub.FrameEncoder;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.session.LoopContexts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Restoring idempotency keys at start reads the streams concurrently, bounded in parallelism and in time. */
class IdempotencyRestoreTest {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final List<ChannelKey> STREAMS =
            IntStream.range(0, 24).mapToObj(i -> ChannelKey.of("room", "c" + i)).toList();

    private EventLoopGroup loops;
    private ScheduledExecutorService storeThread;

    @BeforeEach
    void setUp() {
        loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        storeThread = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void tearDown() {
        storeThread.shutdownNow();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private Hub hub(HistoryStore store) {
        IdGenerator ids = new IdGenerator();
        EnvelopeCodec codec = new EnvelopeCodec(ids, CLOCK);
        return new Hub(new LoopContexts(loops), store, Map.of(), new FrameEncoder(codec, PooledByteBufAllocator.DEFAULT),
                new BusMetrics(), ids, CLOCK, Duration.ofMinutes(5), Hub.DEFAULT_DEDUP_MAX_KEYS);
    }

    @Test
    void readsStreamsConcurrentlyButNoMoreThanTheParallelismAtOnce() throws Exception {
        SlowStore store = new SlowStore(Duration.ofMillis(100));
        int restored = new IdempotencyRestore(hub(store), store, CLOCK, 6, Duration.ofSeconds(20)).restore(STREAMS);

        assertThat(restored).isEqualTo(STREAMS.size());
        assertThat(store.queries.get()).isEqualTo(STREAMS.size());
        // Concurrent (more than one query open at a time), never more than the parallelism; read from
        // the store's own count rather than from the wall clock, which a loaded machine stretches.
        assertThat(store.maxInFlight.get()).isBetween(2, 6);
    }

    @Test
    void aStoreThatNeverAnswersDelaysTheStartOnlyByTheTotalTime() throws Exception {
        SlowStore store = new SlowStore(null);
        long started = System.nanoTime();
        int restored = new IdempotencyRestore(hub(store), store, CLOCK, 4, Duration.ofMillis(500)).restore(STREAMS);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(restored).isZero();
        assertThat(store.maxInFlight.get()).isEqualTo(4);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(500)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void roomStreamsAreSkipped() throws Exception {
        SlowStore store = new SlowStore(Duration.ZERO);
        assertThat(new IdempotencyRestore(hub(store), store, CLOCK, 2, Duration.ofSeconds(5))
                .restore(List.of(ChannelKey.roomWide("room")))).isZero();
        assertThat(store.queries.get()).isZero();
    }

    /** A store whose queries answer (empty) after a delay on another thread, or never when the delay is {@code null}. */
    private final class SlowStore implements HistoryStore {
        private final Duration delay;
        final AtomicInteger queries = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();

        SlowStore(Duration delay) {
            this.delay = delay;
        }

        @Override
        public CompletableFuture<List<StoredMessage>> query(HistoryQuery query) {
            queries.incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            CompletableFuture<List<StoredMessage>> answer = new CompletableFuture<>();
            if (delay != null) {
                storeThread.schedule(() -> {
                    inFlight.decrementAndGet();
                    answer.complete(List.of());
                }, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
            return answer;
        }

        @Override
        public Map<ChannelKey, StreamPosition> open() {
            return Map.of();
        }

        @Override
        public CompletableFuture<Void> append(ChannelKey key, StreamPosition position, ByteBuf json,
                Instant storedAt) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<List<StoredMessage>> read(ChannelKey key, long afterOffset, int limit,
                boolean newestFirst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Void> delete(ChannelKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long size() {
            return 0;
        }

        @Override
        public String backend() {
            return "slow";
        }

        @Override
        public boolean durable() {
            return true;
        }
    }
}
