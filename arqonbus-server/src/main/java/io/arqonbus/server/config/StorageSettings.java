package io.arqonbus.server.config;

import java.util.Objects;

/**
 * Where history is kept: in memory (the default), in Redis, or in a directory, and what happens
 * while the store is unreachable.
 *
 * @param redis the Redis (or Valkey) store, or {@code null} to keep history elsewhere
 * @param mode  what the server does while Redis is unreachable
 * @param store memory, or the directory of the file store
 * @param sync  when the file store's appends are fsynced
 */
public record StorageSettings(RedisConfig redis, StorageMode mode, StoreLocation store, StoreSync sync) {
    /** @throws ConfigException when both Redis and a directory are named */
    public StorageSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(sync, "sync");
        ConfigException.check(redis == null || !store.isFile(),
                "history can be kept either in Redis (ARQONBUS_STORAGE_BACKEND=redis) or in a directory "
                        + "(ARQONBUS_STORE=file:...), not both");
    }
}
