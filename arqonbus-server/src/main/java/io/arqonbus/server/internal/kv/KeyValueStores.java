package io.arqonbus.server.internal.kv;

import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.internal.redis.RedisLink;

/** Makes the key-value store the configuration asks for. */
public final class KeyValueStores {
    private KeyValueStores() {
    }

    /**
     * Redis when Redis is the configured storage backend, memory otherwise.
     *
     * @param redis the server's link to Redis when {@link ServerConfig#redis()} is set, else {@code null}
     */
    public static KeyValueStore create(ServerConfig config, RedisLink redis) {
        int maxKeys = config.kvLimits().maxKeysPerNamespace();
        return config.storage().redis() != null
                ? new RedisKeyValueStore(redis, maxKeys)
                : new MemoryKeyValueStore(maxKeys);
    }
}
