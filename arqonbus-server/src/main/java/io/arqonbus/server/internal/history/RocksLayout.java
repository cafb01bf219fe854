package io.arqonbus.server.internal.history;

import io.arqonbus.server.internal.channel.ChannelKey;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How {@link RocksHistoryStore} lays its data out in RocksDB, in two column families.
 *
 * <ul>
 *   <li>{@code entries}: key = stream id (8 bytes) + offset (8 bytes), both big-endian, so one
 *       stream's entries are contiguous and in offset order; value = the time it was stored
 *       (epoch milliseconds, 8 bytes) + the envelope's JSON exactly as delivered.</li>
 *   <li>{@code streams}: key = the stream's {@code room:channel} (length-prefixed room, then a
 *       flag and the channel, so any names are unambiguous); value = its {@link StreamState}.</li>
 * </ul>
 *
 * A stream gets a new id when it is created, reset (another epoch) or deleted and created again,
 * so a reset drops the old entries with one range deletion and never mixes them with new ones.
 * The default column family holds the format marker.
 */
final class RocksLayout {
    static final String STREAMS = "streams";
    static final String ENTRIES = "entries";
    static final byte[] FORMAT_KEY = "format".getBytes(StandardCharsets.US_ASCII);
    static final byte[] FORMAT = "arqonbus-history/1".getBytes(StandardCharsets.US_ASCII);

    private RocksLayout() {
    }

    /** The key of one entry. Offsets are never negative, so unsigned order is offset order. */
    static byte[] entryKey(long stream, long offset) {
        return ByteBuffer.allocate(16).putLong(stream).putLong(offset).array();
    }

    /**
     * The first key of a stream's range; {@code streamStart(id + 1)} is the exclusive end of
     * stream {@code id}'s range (shorter keys sort before longer ones with the same prefix).
     */
    static byte[] streamStart(long stream) {
        return ByteBuffer.allocate(8).putLong(stream).array();
    }

    static long offsetOf(byte[] entryKey) {
        return ByteBuffer.wrap(entryKey, 8, 8).getLong();
    }

    /** An entry's value: the time it was stored, then a copy of the JSON's readable bytes. */
    static byte[] entryValue(long storedAtMillis, ByteBuf json) {
        int length = json.readableBytes();
        byte[] value = new byte[8 + length];
        ByteBuffer.wrap(value).putLong(storedAtMillis);
        json.getBytes(json.readerIndex(), value, 8, length);
        return value;
    }

    /** Where the JSON starts in an entry's value. */
    static final int JSON_START = 8;

    static long storedAtOf(byte[] entryValue) {
        return ByteBuffer.wrap(entryValue).getLong();
    }

    static byte[] jsonOf(byte[] entryValue) {
        return Arrays.copyOfRange(entryValue, 8, entryValue.length);
    }

    /** The {@code streams} key of a stream. */
    static byte[] streamKey(ChannelKey key) {
        byte[] room = key.room().getBytes(StandardCharsets.UTF_8);
        byte[] channel = key.channel() == null ? new byte[0] : key.channel().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + room.length + 1 + channel.length)
                .putInt(room.length).put(room).put((byte) (key.channel() == null ? 0 : 1)).put(channel).array();
    }

    static ChannelKey channelKeyOf(byte[] streamKey) {
        ByteBuffer in = ByteBuffer.wrap(streamKey);
        byte[] room = new byte[in.getInt()];
        in.get(room);
        boolean roomWide = in.get() == 0;
        byte[] channel = new byte[in.remaining()];
        in.get(channel);
        return new ChannelKey(new String(room, StandardCharsets.UTF_8),
                roomWide ? null : new String(channel, StandardCharsets.UTF_8));
    }
}
