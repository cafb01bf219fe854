package io.arqonbus.server.internal.history;

import io.arqonbus.protocol.StreamPosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What {@link RocksHistoryStore} knows of one stream, kept in its {@code streams} column family in
 * the same write as the entries it describes, and in memory for reads. It outlives the entries:
 * a stream trimmed to nothing keeps its epoch and last offset.
 *
 * @param id         the stream's key prefix in the {@code entries} column family
 * @param epoch      the stream's epoch
 * @param lastOffset the offset of the latest append
 * @param firstOffset the offset of the oldest entry kept (meaningless when {@code count} is 0)
 * @param count      how many entries are kept
 * @param oldestAt   when the oldest entry kept was stored, epoch milliseconds
 */
record StreamState(long id, String epoch, long lastOffset, long firstOffset, long count, long oldestAt) {
    private static final byte VERSION = 1;

    /** The stream's position: its epoch and the offset of its latest publication. */
    StreamPosition head() {
        return new StreamPosition(lastOffset, epoch);
    }

    byte[] encode() {
        byte[] e = epoch.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 5 * 8 + e.length).put(VERSION).putLong(id).putLong(lastOffset)
                .putLong(firstOffset).putLong(count).putLong(oldestAt).put(e).array();
    }

    /** Reads what {@link #encode()} wrote; an unknown version is a {@link StoreUnavailableException}. */
    static StreamState decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte version = in.get();
        if (version != VERSION) {
            throw new StoreUnavailableException("unknown stream record version " + version
                    + " in the history store (written by a newer server?)");
        }
        long id = in.getLong();
        long last = in.getLong();
        long first = in.getLong();
        long count = in.getLong();
        long oldest = in.getLong();
        byte[] e = new byte[in.remaining()];
        in.get(e);
        return new StreamState(id, new String(e, StandardCharsets.UTF_8), last, first, count, oldest);
    }
}
