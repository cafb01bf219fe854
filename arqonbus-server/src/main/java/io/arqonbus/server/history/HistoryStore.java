package io.arqonbus.server.history;

import io.arqonbus.server.hub.ChannelKey;
import io.netty.buffer.ByteBuf;
import java.time.Instant;

import java.util.List;

/**
 * Where publications are kept: one append-only stream per {@code room:channel} (and one per
 * room for room broadcasts), each bounded by count and age.
 *
 * <p>Appends come from the hub in the channel's offset order. Reads return copies that the
 * caller may keep. Implementations are thread-safe.
 */
public interface HistoryStore extends AutoCloseable {

    /**
     * Appends one publication to its channel's stream.
     *
     * @param json     the envelope's UTF-8 JSON exactly as delivered; the store takes its own
     *                 reference to what it keeps ({@code retain}/copy), the caller keeps and
     *                 releases its own
     * @param storedAt when the store took it
     */
    void append(ChannelKey key, ByteBuf json, Instant storedAt);

    /** The last {@code limit} messages of one stream, oldest first. */
    List<StoredMessage> latest(ChannelKey key, int limit);

    /** Messages across streams that match the query, in the query's order. */
    List<StoredMessage> query(HistoryQuery query);

    /** Forgets a stream (its channel was deleted). */
    void delete(ChannelKey key);

    /** How many messages are kept in all. */
    long size();

    /** A short name for {@code status} and logs, e.g. {@code memory}. */
    String backend();

    @Override
    default void close() {
    }
}
