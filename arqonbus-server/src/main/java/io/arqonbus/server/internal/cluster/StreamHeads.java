package io.arqonbus.server.internal.cluster;

import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.history.RedisKeys;
import io.lettuce.core.KeyValue;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a stream's head (its epoch and last offset) from the meta hash the history store keeps
 * beside it on Redis: offset 0 and no epoch for a stream Redis does not hold.
 */
final class StreamHeads {
    private static final byte[] EPOCH = "epoch".getBytes(StandardCharsets.UTF_8);
    private static final byte[] LAST = "last".getBytes(StandardCharsets.UTF_8);

    private final RedisKeys keys;

    StreamHeads(RedisKeys keys) {
        this.keys = keys;
    }

    /** The stream's head, with one {@code HMGET}. */
    CompletableFuture<StreamPosition> read(StatefulRedisConnection<byte[], byte[]> conn, ChannelKey stream) {
        return conn.async().hmget(keys.meta(stream), EPOCH, LAST).toCompletableFuture().thenApply(meta -> {
            StreamPosition head = head(meta);
            return head != null ? head : new StreamPosition(0, "");
        });
    }

    private static StreamPosition head(List<KeyValue<byte[], byte[]>> meta) {
        if (meta.size() < 2 || !meta.get(0).hasValue() || !meta.get(1).hasValue()) {
            return null;
        }
        return new StreamPosition(Long.parseLong(text(meta.get(1).getValue())), text(meta.get(0).getValue()));
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }
}
