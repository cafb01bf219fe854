package io.arqonbus.server.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.testing.MutableClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The memory store's byte bounds: per stream the oldest go first, in all the streams holding the
 * most give back theirs, a buffer comes back down after trims, and the newest publication is kept
 * even when it fills a stream alone.
 */
class MemoryHistoryBytesTest {
    private static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");
    private static final String EPOCH = "e1";
    private static final ChannelKey A = ChannelKey.of("science", "a");
    private static final ChannelKey B = ChannelKey.of("science", "b");
    private static final ChannelKey C = ChannelKey.of("science", "c");
    private static final int KIB = 1024;

    private final MutableClock clock = new MutableClock(T0);
    private final EnvelopeCodec codec = new EnvelopeCodec(new IdGenerator(), clock);
    private MemoryHistoryStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
            assertThat(store.bytes()).isZero();
        }
    }

    private MemoryHistoryStore store(long perStream, long total) {
        store = new MemoryHistoryStore(10_000, perStream, total, Duration.ofHours(1), clock, codec);
        return store;
    }

    /** A publication of about {@code size} bytes. */
    private static String json(ChannelKey key, long offset, int size) {
        String head = "{\"metadata\":{\"offset\":" + offset + ",\"epoch\":\"" + EPOCH + "\"},\"room\":\"" + key.room()
                + "\",\"channel\":\"" + key.channel() + "\",\"type\":\"message\",\"payload\":{\"pad\":\"";
        String tail = "\"}}";
        return head + "x".repeat(Math.max(0, size - head.length() - tail.length())) + tail;
    }

    private void append(ChannelKey key, long offset, int size, Instant at) {
        ByteBuf frame = Unpooled.directBuffer().writeBytes(json(key, offset, size).getBytes(StandardCharsets.UTF_8));
        try {
            store.append(key, new StreamPosition(offset, EPOCH), frame, at).join();
        } finally {
            frame.release();
        }
    }

    private List<Long> offsets(ChannelKey key) {
        CompletableFuture<List<StoredMessage>> read = store.read(key, 0, 10_000, false);
        List<StoredMessage> kept = read.join();
        for (StoredMessage m : kept) {
            assertThat(m.json()).hasSizeGreaterThan(0);
            assertThat(new String(m.json(), StandardCharsets.UTF_8)).contains("\"offset\":" + m.offset() + ",");
        }
        return kept.stream().map(StoredMessage::offset).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void theStreamBoundDropsTheOldestAndItsBufferNeverOutgrowsIt() {
        store(64 * KIB, 1 << 20);
        for (int i = 1; i <= 100; i++) {
            append(A, i, 10 * KIB, T0);
            assertThat(store.bytes()).isLessThanOrEqualTo(64 * KIB);
        }
        // Six publications of 10 KiB fit in 64 KiB; the oldest 94 are gone.
        assertThat(offsets(A)).isEqualTo(range(95, 100));
        assertThat(store.size()).isEqualTo(6);
    }

    @Test
    void theTotalBoundDropsTheOldestOfTheStreamsHoldingTheMost() {
        store(128 * KIB, 256 * KIB);
        for (int i = 1; i <= 12; i++) {
            append(A, i, 10 * KIB, T0);
            append(B, i, 10 * KIB, T0);
        }
        assertThat(store.bytes()).isEqualTo(256 * KIB);
        for (int i = 1; i <= 12; i++) {
            append(C, i, 10 * KIB, T0);
            assertThat(store.bytes()).isLessThanOrEqualTo(256 * KIB);
        }
        // Every stream keeps a tail of what it was sent, ending with its latest publication.
        List<Long> a = offsets(A);
        List<Long> b = offsets(B);
        List<Long> c = offsets(C);
        assertThat(a).isEqualTo(range(13 - a.size(), 12));
        assertThat(b).isEqualTo(range(13 - b.size(), 12));
        assertThat(c).isEqualTo(range(13 - c.size(), 12));
        assertThat(a.size() + b.size()).isLessThan(24);
        assertThat(c).isNotEmpty();
    }

    @Test
    void aStreamAtTheTotalRecyclesItsOwnOldestInsteadOfGrowing() {
        store(1 << 20, 64 * KIB);
        for (int i = 1; i <= 50; i++) {
            append(A, i, 5 * KIB, T0);
            assertThat(store.bytes()).isLessThanOrEqualTo(64 * KIB);
        }
        List<Long> a = offsets(A);
        assertThat(a).isEqualTo(range(51 - a.size(), 50));
        assertThat(a.size()).isBetween(6, 12);
    }

    @Test
    void theBufferComesBackDownAfterTrimsByAgeAndIsFreedWithItsStream() {
        store(1 << 20, 4 << 20);
        for (int i = 1; i <= 60; i++) {
            append(A, i, KIB, T0);
        }
        assertThat(store.bytes()).isEqualTo(64 * KIB);

        clock.advance(Duration.ofHours(2));
        append(A, 61, KIB, clock.instant());

        assertThat(offsets(A)).containsExactly(61L);
        assertThat(store.bytes()).isLessThanOrEqualTo(16 * KIB);

        store.delete(A).join();
        assertThat(store.bytes()).isZero();
    }

    @Test
    void aPublicationAsLargeAsTheStreamBoundIsKeptAloneAndIntact() {
        store(64 * KIB, 256 * KIB);
        for (int i = 1; i <= 5; i++) {
            append(A, i, KIB, T0);
        }
        append(A, 6, 64 * KIB, T0);

        List<StoredMessage> kept = store.read(A, 0, 100, false).join();
        assertThat(kept).extracting(StoredMessage::offset).containsExactly(6L);
        assertThat(new String(kept.get(0).json(), StandardCharsets.UTF_8)).isEqualTo(json(A, 6, 64 * KIB));
        assertThat(store.bytes()).isLessThanOrEqualTo(64 * KIB);

        // Smaller ones then push it out again, oldest first.
        for (int i = 7; i <= 8; i++) {
            append(A, i, KIB, T0);
        }
        assertThat(offsets(A)).containsExactly(7L, 8L);
    }

    @Test
    void aPublicationLargerThanTheStreamBoundIsStillKeptAlone() {
        store(16 * KIB, 256 * KIB);
        append(A, 1, KIB, T0);
        append(A, 2, 40 * KIB, T0);
        assertThat(offsets(A)).containsExactly(2L);
        append(A, 3, KIB, T0);
        assertThat(offsets(A)).containsExactly(3L);
    }
}
