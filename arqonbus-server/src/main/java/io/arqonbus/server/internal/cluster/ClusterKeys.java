package io.arqonbus.server.internal.cluster;

import io.arqonbus.server.internal.channel.ChannelKey;
import java.nio.charset.StandardCharsets;

/**
 * The names the cluster adds under the key prefix (beside the history store's streams and meta
 * hashes): {@code <prefix>bus:{room}:channel} and {@code <prefix>bus:{room}}, the publish/subscribe
 * channels of a stream's publications; {@code <prefix>idem:{room}:<length>:<channel>:<key>}, a
 * remembered idempotency key (its value the first publication's offset).
 */
final class ClusterKeys {
    private final String prefix;

    ClusterKeys(String prefix) {
        this.prefix = prefix;
    }

    /** The publish/subscribe channel of a stream's publications. */
    String channel(ChannelKey key) {
        return key.isRoomWide() ? prefix + "bus:{" + key.room() + "}"
                : prefix + "bus:{" + key.room() + "}:" + key.channel();
    }

    /** The key remembering an idempotency key of a stream. */
    byte[] idempotency(ChannelKey key, String idempotencyKey) {
        String channel = key.channel() == null ? "" : key.channel();
        return (prefix + "idem:{" + key.room() + "}:" + channel.length() + ":" + channel + ":" + idempotencyKey)
                .getBytes(StandardCharsets.UTF_8);
    }
}
