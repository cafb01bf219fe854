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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link HistoryStore} does, run against each implementation by a subclass that says
 * how to make one. Times are whole milliseconds (what every store keeps). Stores that survive a
 * restart also pass {@link DurableHistoryStoreContract}.
 */
public abstract class HistoryStoreContract {
    protected static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");
    protected static final ChannelKey EXPLORE = ChannelKey.of("science", "explore");
    protected static final ChannelKey SHARE = ChannelKey.of("science", "share");
    protected static final ChannelKey OTHER = ChannelKey.of("ops", "alerts");
    protected static final String EPOCH = "e1";

    protected final MutableClock clock = new MutableClock(T0);
    protected final EnvelopeCodec codec = new EnvelopeCodec(new IdGenerator(), clock);
    private final List<HistoryStore> opened = new ArrayList<>();

    /**
     * A new, empty store (fresh data for each test) keeping at most {@code maxPerStream}
     * messages per stream, none older than {@code maxAge} by {@link #clock}.
     */
    protected abstract HistoryStore create(int maxPerStream, Duration maxAge);

    /** A store made by {@link #create}, opened, and closed after the test. */
    protected HistoryStore store(int maxPerStream, Duration maxAge) {
        HistoryStore store = create(maxPerStream, maxAge);
        opened.add(store);
        assertThat(store.open()).isEmpty();
        return store;
    }

    protected HistoryStore store() {
        return store(100, Duration.ofHours(1));
    }

    /** Remembers a store a subclass opened itself, to close it after the test. */
    protected HistoryStore track(HistoryStore store) {
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        for (HistoryStore store : opened) {
            store.close();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** The delivered JSON of publication {@code offset} of a stream, as the hub would store it. */
    protected static String json(ChannelKey key, long offset, String epoch) {
        return "{\"id\":\"arq_m" + offset + "\",\"timestamp\":\"2026-12-01T06:00:00.000Z\",\"type\":\"message\","
                + "\"version\":\"1.0\",\"payload\":{\"n\":" + offset + ",\"text\":\"h\\u00e9llo \\\"w\\\"\"},\"args\":{},"
                + "\"metadata\":{\"offset\":" + offset + ",\"epoch\":\"" + epoch + "\"},\"room\":\"" + key.room()
                + "\",\"channel\":\"" + key.channel() + "\",\"sender\":\"arq_client_x\"}";
    }

    /** Appends publication {@code offset} stored at {@code at}; waits for the store to confirm. */
    protected static void append(HistoryStore store, ChannelKey key, long offset, String epoch, Instant at) {
        join(appendAsync(store, key, offset, epoch, at));
    }

    protected static CompletableFuture<Void> appendAsync(HistoryStore store, ChannelKey key, long offset,
            String epoch, Instant at) {
        ByteBuf buf = Unpooled.directBuffer().writeBytes(json(key, offset, epoch).getBytes(StandardCharsets.UTF_8));
        try {
            return store.append(key, new StreamPosition(offset, epoch), buf, at);
        } finally {
            buf.release();
        }
    }

    protected void appendRange(HistoryStore store, ChannelKey key, long from, long to) {
        for (long i = from; i <= to; i++) {
            append(store, key, i, EPOCH, T0.plusMillis(i));
        }
    }

    protected static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("store operation failed", e);
        }
    }

    protected static List<Long> offsets(List<StoredMessage> messages) {
        return messages.stream().map(StoredMessage::offset).toList();
    }

    private static HistoryQuery latest(String room, String channel, int limit) {
        return new HistoryQuery(room, channel, null, null, limit, HistoryQuery.Window.LATEST, false);
    }

    // ---- reading by offset -------------------------------------------------------------------

    @Test
    void readsReturnTheStoredBytesOffsetsAndTimesInOffsetOrder() {
        HistoryStore store = store();
        appendRange(store, EXPLORE, 1, 5);

        List<StoredMessage> all = join(store.read(EXPLORE, 0, 100, false));

        assertThat(offsets(all)).containsExactly(1L, 2L, 3L, 4L, 5L);
        StoredMessage third = all.get(2);
        assertThat(new String(third.json(), StandardCharsets.UTF_8)).isEqualTo(json(EXPLORE, 3, EPOCH));
        assertThat(third.storedAt()).isEqualTo(T0.plusMillis(3));
        assertThat(third.envelope().position()).isEqualTo(new StreamPosition(3, EPOCH));
        assertThat(third.envelope().payload().get("text").asText()).isEqualTo("h\u00e9llo \"w\"");
    }

    @Test
    void readAfterAnOffsetReturnsOnlyLaterEntriesOldestOrNewestFirst() {
        HistoryStore store = store();
        appendRange(store, EXPLORE, 1, 10);

        assertThat(offsets(join(store.read(EXPLORE, 4, 3, false)))).containsExactly(5L, 6L, 7L);
        assertThat(offsets(join(store.read(EXPLORE, 4, 3, true)))).containsExactly(10L, 9L, 8L);
        assertThat(offsets(join(store.read(EXPLORE, 8, 100, false)))).containsExactly(9L, 10L);
        assertThat(offsets(join(store.read(EXPLORE, 10, 100, false)))).isEmpty();
        assertThat(offsets(join(store.read(EXPLORE, 0, 0, false)))).isEmpty();
    }

    @Test
    void offsetsNeedNotBeContiguous() {
        HistoryStore store = store();
        for (long offset : new long[] {2, 3, 7, 20}) {
            append(store, EXPLORE, offset, EPOCH, T0);
        }
        assertThat(offsets(join(store.read(EXPLORE, 3, 10, false)))).containsExactly(7L, 20L);
        assertThat(offsets(join(store.read(EXPLORE, 0, 2, true)))).containsExactly(20L, 7L);
    }

    @Test
    void streamsAreSeparate() {
        HistoryStore store = store();
        appendRange(store, EXPLORE, 1, 3);
        appendRange(store, SHARE, 1, 2);

        assertThat(offsets(join(store.read(EXPLORE, 0, 10, false)))).containsExactly(1L, 2L, 3L);
        assertThat(offsets(join(store.read(SHARE, 0, 10, false)))).containsExactly(1L, 2L);
        assertThat(join(store.read(OTHER, 0, 10, false))).isEmpty();
        assertThat(store.size()).isEqualTo(5);
    }

    @Test
    void aRoomWideStreamIsItsOwnStream() {
        HistoryStore store = store();
        ChannelKey roomWide = ChannelKey.roomWide("science");
        append(store, roomWide, 1, EPOCH, T0);
        appendRange(store, EXPLORE, 1, 2);

        assertThat(offsets(join(store.read(roomWide, 0, 10, false)))).containsExactly(1L);
        List<StoredMessage> room = join(store.query(latest("science", null, 10)));
        assertThat(room).hasSize(3);
    }

    // ---- retention ---------------------------------------------------------------------------

    @Test
    void aStreamKeepsAtMostItsCountBoundNewestKept() {
        HistoryStore store = store(5, Duration.ofHours(1));
        appendRange(store, EXPLORE, 1, 12);

        assertThat(offsets(join(store.read(EXPLORE, 0, 100, false)))).containsExactly(8L, 9L, 10L, 11L, 12L);
        assertThat(store.size()).isEqualTo(5);
    }

    @Test
    void entriesOlderThanTheAgeBoundAreNotReturned() {
        HistoryStore store = store(100, Duration.ofSeconds(60));
        append(store, EXPLORE, 1, EPOCH, T0);
        clock.advance(Duration.ofSeconds(30));
        append(store, EXPLORE, 2, EPOCH, clock.instant());
        clock.advance(Duration.ofSeconds(40));

        assertThat(offsets(join(store.read(EXPLORE, 0, 10, false)))).containsExactly(2L);
        assertThat(offsets(join(store.query(latest("science", "explore", 10))))).containsExactly(2L);
    }

    @Test
    void anotherEpochResetsTheStream() {
        HistoryStore store = store();
        appendRange(store, EXPLORE, 1, 3);
        append(store, EXPLORE, 1, "e2", T0.plusSeconds(1));

        List<StoredMessage> after = join(store.read(EXPLORE, 0, 10, false));
        assertThat(offsets(after)).containsExactly(1L);
        assertThat(after.get(0).envelope().position().epoch()).isEqualTo("e2");
    }

    @Test
    void deleteForgetsTheStreamAndLeavesOthers() {
        HistoryStore store = store();
        appendRange(store, EXPLORE, 1, 3);
        appendRange(store, SHARE, 1, 2);

        join(store.delete(EXPLORE));

        assertThat(join(store.read(EXPLORE, 0, 10, false))).isEmpty();
        assertThat(offsets(join(store.read(SHARE, 0, 10, false)))).containsExactly(1L, 2L);
        append(store, EXPLORE, 1, "e9", T0.plusSeconds(5));
        assertThat(offsets(join(store.read(EXPLORE, 0, 10, false)))).containsExactly(1L);
    }

    // ---- queries by time across streams ------------------------------------------------------

    @Test
    void latestQueryTakesTheNewestOfTheRoomInStoreOrder() {
        HistoryStore store = store();
        append(store, EXPLORE, 1, EPOCH, T0.plusMillis(1));
        append(store, SHARE, 1, EPOCH, T0.plusMillis(2));
        append(store, EXPLORE, 2, EPOCH, T0.plusMillis(3));
        append(store, OTHER, 1, EPOCH, T0.plusMillis(4));
        append(store, SHARE, 2, EPOCH, T0.plusMillis(5));

        List<StoredMessage> oldestFirst = join(store.query(latest("science", null, 3)));
        assertThat(oldestFirst).extracting(StoredMessage::storedAt)
                .containsExactly(T0.plusMillis(2), T0.plusMillis(3), T0.plusMillis(5));

        List<StoredMessage> newestFirst = join(store.query(
                new HistoryQuery("science", null, null, null, 10, HistoryQuery.Window.LATEST, true)));
        assertThat(newestFirst).extracting(StoredMessage::storedAt)
                .containsExactly(T0.plusMillis(5), T0.plusMillis(3), T0.plusMillis(2), T0.plusMillis(1));

        assertThat(join(store.query(latest(null, null, 10)))).hasSize(5);
    }

    @Test
    void timeRangesAreInclusiveSinceAndExclusiveUntil() {
        HistoryStore store = store();
        appendRange(store, EXPLORE, 1, 10);

        List<StoredMessage> range = join(store.query(new HistoryQuery("science", "explore",
                T0.plusMillis(3), T0.plusMillis(7), 100, HistoryQuery.Window.LATEST, false)));
        assertThat(offsets(range)).containsExactly(3L, 4L, 5L, 6L);

        List<StoredMessage> earliest = join(store.query(new HistoryQuery("science", "explore",
                T0.plusMillis(3), null, 2, HistoryQuery.Window.EARLIEST, false)));
        assertThat(offsets(earliest)).containsExactly(3L, 4L);

        List<StoredMessage> latest = join(store.query(new HistoryQuery("science", "explore",
                null, T0.plusMillis(7), 2, HistoryQuery.Window.LATEST, true)));
        assertThat(offsets(latest)).containsExactly(6L, 5L);
    }

    // ---- idempotency keys --------------------------------------------------------------------

    /** Appends {@code metadata} (and {@code payload}) as publication {@code offset}'s JSON, stored at T0 + offset ms. */
    private static void appendWith(HistoryStore store, long offset, String payload, String metadata) {
        String json = "{\"id\":\"arq_m" + offset + "\",\"timestamp\":\"2026-12-01T06:00:00.000Z\",\"type\":\"message\","
                + "\"version\":\"1.0\",\"payload\":" + payload + ",\"args\":{},\"metadata\":" + metadata
                + ",\"room\":\"science\",\"channel\":\"explore\",\"sender\":\"arq_client_x\"}";
        ByteBuf buf = Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8));
        try {
            join(store.append(EXPLORE, new StreamPosition(offset, EPOCH), buf, T0.plusMillis(offset)));
        } finally {
            buf.release();
        }
    }

    @Test
    void idempotencyKeysAreThoseOfTheDecodedEnvelopesOfTheNewestEntries() {
        HistoryStore store = store();
        String pos = ",\"offset\":%d,\"epoch\":\"e1\"}";
        appendWith(store, 1, "{}", "{\"idempotency_key\":\"k1\"" + pos.formatted(1));
        appendWith(store, 2, "{\"n\":2}", "{\"offset\":2,\"epoch\":\"e1\"}");
        appendWith(store, 3, "{}", "{\"idempotency_key\":3" + pos.formatted(3));
        appendWith(store, 4, "{\"metadata\":{\"idempotency_key\":\"from-the-payload\"}}",
                "{\"trace\":{\"idempotency_key\":\"nested\"}" + pos.formatted(4));
        appendWith(store, 5, "{\"text\":\"" + "x".repeat(70_000) + "\"}",
                "{\"idempotency_key\":\"k5 \\\"quoted\\\" \\u00e9\"" + pos.formatted(5));
        appendWith(store, 6, "{}", "{\"idempotency_key\":\"without-position\"}");
        appendWith(store, 7, "{}", "{\"idempotency_key\":\"first\",\"idempotency_key\":\"last\"" + pos.formatted(7));
        appendWith(store, 8, "{}", "{\"idempotency_key\":\"k8\",\"offset\":8.9,\"epoch\":\"e1\"}");
        appendWith(store, 9, "[1,{\"a\":null}]", "{\"idempotency_key\":\"k9\",\"offset\":\"9\",\"epoch\":\"e1\"}");
        appendWith(store, 10, "{}", "{\"idempotency_key\":\"k10\",\"offset\":99999999999999999999,\"epoch\":\"e1\"}");
        appendWith(store, 11, "{}", "{\"idempotency_key\":\"k11\",\"offset\":11,\"epoch\":7}");
        appendWith(store, 12, "{}", "{\"idempotency_key\":\"k12\",\"offset\":12,\"epoch\":\"e1\",\"x\":[true,{}]}");

        List<StoredIdempotencyKey> all = join(store.idempotencyKeys(EXPLORE, T0, 100));
        assertThat(all).extracting(StoredIdempotencyKey::key).containsExactly("k1", "k5 \"quoted\" é",
                "without-position", "last", "k8", "k9", "k10", "k11", "k12");
        assertThat(all.get(0)).isEqualTo(new StoredIdempotencyKey("k1", new StreamPosition(1, EPOCH), T0.plusMillis(1)));
        assertThat(all.get(2).position()).isNull();
        assertThat(all.get(4).position()).isEqualTo(new StreamPosition(8, EPOCH));
        assertThat(all.get(5).position()).isNull();
        assertThat(all.get(6).position()).isNull();
        assertThat(all.get(7).position()).isNull();
        assertThat(all.get(8).position()).isEqualTo(new StreamPosition(12, EPOCH));

        for (Instant since : new Instant[] {null, T0, T0.plusMillis(5), T0.plusMillis(13)}) {
            for (int limit : new int[] {0, 1, 4, 8, 100}) {
                List<StoredIdempotencyKey> decoded = new ArrayList<>();
                for (StoredMessage message : join(store.query(new HistoryQuery("science", "explore", since, null,
                        limit, HistoryQuery.Window.LATEST, false)))) {
                    StoredIdempotencyKey key = StoredIdempotencyKey.of(message);
                    if (key != null) {
                        decoded.add(key);
                    }
                }
                assertThat(join(store.idempotencyKeys(EXPLORE, since, limit)))
                        .as("since %s, limit %d", since, limit).isEqualTo(decoded);
            }
        }
        assertThat(join(store.idempotencyKeys(SHARE, T0, 100))).isEmpty();
    }

    // ---- concurrency -------------------------------------------------------------------------

    @Test
    void appendsToOneStreamCompleteInOrderAndManyStreamsInterleave() {
        HistoryStore store = store(10_000, Duration.ofHours(1));
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        List<Long> completed = java.util.Collections.synchronizedList(new ArrayList<>());
        for (long i = 1; i <= 2_000; i++) {
            long offset = i;
            futures.add(appendAsync(store, EXPLORE, i, EPOCH, T0.plusMillis(i))
                    .thenRun(() -> completed.add(offset)));
            futures.add(appendAsync(store, SHARE, i, EPOCH, T0.plusMillis(i)));
        }
        join(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)));

        assertThat(completed).isSorted().hasSize(2_000);
        assertThat(join(store.read(EXPLORE, 0, 10_000, false))).hasSize(2_000);
        assertThat(offsets(join(store.read(SHARE, 1_990, 100, false))))
                .containsExactly(1_991L, 1_992L, 1_993L, 1_994L, 1_995L, 1_996L, 1_997L, 1_998L, 1_999L, 2_000L);
    }

    @Test
    void theStoreKeepsItsOwnReferenceAndLeavesTheCallersAlone() {
        HistoryStore store = store();
        ByteBuf buf = Unpooled.directBuffer().writeBytes(json(EXPLORE, 1, EPOCH).getBytes(StandardCharsets.UTF_8));
        int length = buf.readableBytes();
        join(store.append(EXPLORE, new StreamPosition(1, EPOCH), buf, T0));
        assertThat(buf.refCnt()).isPositive();
        assertThat(buf.readableBytes()).isEqualTo(length);
        buf.release();
        assertThat(offsets(join(store.read(EXPLORE, 0, 10, false)))).containsExactly(1L);
    }
}
