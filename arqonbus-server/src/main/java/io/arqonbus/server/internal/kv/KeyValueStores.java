package io.arqonbus.server.internal.kv;

import io.arqonbus.server.config.ServerConfig;

/** Makes the key-value store the configuration asks for. */
public final class KeyValueStores {
    private KeyValueStores() {
    }

    /** Redis when Redis is the configured storage backend, memory otherwise. */
    public static KeyValueStore create(ServerConfig config) {
        int maxKeys = config.kvLimits().maxKeysPerNamespace();
        return config.storage().redis() != null
                ? new RedisKeyValueStore(config.storage().redis(), maxKeys)
                : new MemoryKeyValueStore(maxKeys);
    }
}
