package io.arqonbus.server.internal.history;

import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.netty.buffer.ByteBuf;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where publications are kept: one append-only stream per {@code room:channel} (and one per room
 * for room broadcasts). Each entry has the offset the hub gave it (strictly increasing within the
 * stream) and the stream's epoch; streams are bounded by count and age.
 *
 * <p>Every operation but {@link #open()} and {@link #close()} is asynchronous and never blocks the
 * caller: the hub calls {@link #append} on event loops. Futures may complete on any thread. For one
 * stream, append futures complete in the order the appends were made. A failed future carries a
 * {@link StoreUnavailableException} when the store cannot be reached. Implementations are
 * thread-safe; the contract every implementation passes is {@code HistoryStoreContract} in the
 * tests.
 */
public interface HistoryStore extends AutoCloseable {

    /**
     * Opens the store and returns the position of every stream it already holds (durable stores
     * after a restart), so the hub continues their offsets and epochs. Blocks; called once, before
     * traffic, off the event loops. A stream whose entries were all trimmed is still returned with
     * its last offset.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     */
    Map<ChannelKey, StreamPosition> open();

    /**
     * Appends one publication.
     *
     * @param key      the stream
     * @param position the entry's offset (greater than every offset already in the stream) and the
     *                 stream's epoch; an epoch other than the stream's current one resets the stream
     *                 (its older entries are dropped)
     * @param json     the envelope's UTF-8 JSON exactly as delivered; the store takes its own
     *                 reference to what it keeps ({@code retain} or a copy) before this method
     *                 returns, the caller keeps and releases its own
     * @param storedAt when the server took it
     * @return completes once the entry is stored — for a durable store, once it is durable under
     *         the configured sync policy
     */
    CompletableFuture<Void> append(ChannelKey key, StreamPosition position, ByteBuf json, Instant storedAt);

    /**
     * Reads one stream by offset: the entries with an offset greater than {@code afterOffset},
     * at most {@code limit} of them. Oldest first, the oldest {@code limit}; or, when
     * {@code newestFirst}, the newest {@code limit} newest first.
     */
    CompletableFuture<List<StoredMessage>> read(ChannelKey key, long afterOffset, int limit, boolean newestFirst);

    /** Messages across streams that match the query, in the query's order. */
    CompletableFuture<List<StoredMessage>> query(HistoryQuery query);

    /**
     * The idempotency keys of a channel stream's newest {@code limit} publications stored at or after
     * {@code since}, oldest first (publications without a key count towards the limit but give no
     * entry): what a restart reads to keep answering retries as duplicates. Same result as
     * {@link #query} of that range with each envelope decoded; a store that can read less than whole
     * envelopes overrides it.
     */
    default CompletableFuture<List<StoredIdempotencyKey>> idempotencyKeys(ChannelKey key, Instant since, int limit) {
        return query(new HistoryQuery(key.room(), key.channel(), since, null, limit, HistoryQuery.Window.LATEST,
                false)).thenApply(messages -> {
                    List<StoredIdempotencyKey> keys = new java.util.ArrayList<>();
                    for (StoredMessage message : messages) {
                        StoredIdempotencyKey stored = StoredIdempotencyKey.of(message);
                        if (stored != null) {
                            keys.add(stored);
                        }
                    }
                    return keys;
                });
    }

    /** Forgets a stream and its position (its channel was deleted). */
    CompletableFuture<Void> delete(ChannelKey key);

    /** How many messages are kept in all (may be an estimate for remote stores). */
    long size();

    /** The bytes of direct memory this server's in-memory history takes (0 for a store that keeps none). */
    default long bytes() {
        return 0;
    }

    /** A short name for {@code status} and logs: {@code memory}, {@code file}, {@code redis}. */
    String backend();

    /** Whether a completed append survives a crash of the server process. */
    boolean durable();

    /** Whether the store is reachable now, and why not. */
    default StoreHealth health() {
        return StoreHealth.UP;
    }

    @Override
    default void close() {
    }
}
