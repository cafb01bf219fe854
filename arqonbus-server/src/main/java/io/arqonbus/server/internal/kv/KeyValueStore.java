package io.arqonbus.server.internal.kv;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The operator key-value store behind {@code op.store.*}: string keys holding JSON text, grouped in
 * namespaces. Asynchronous: nothing blocks the caller. A future fails with
 * {@link io.arqonbus.server.internal.history.StoreUnavailableException} when the backend cannot be reached
 * and with {@link NamespaceFullException} when a new key would pass the per-namespace bound.
 * Implementations are thread-safe. Callers validate names, sizes and permissions first.
 */
public interface KeyValueStore extends AutoCloseable {

    /**
     * Stores {@code json} under {@code key}.
     *
     * @return whether the key held a value before (the value was replaced)
     */
    CompletableFuture<Boolean> set(String namespace, String key, String json);

    /** The JSON text stored under {@code key}, or empty. */
    CompletableFuture<Optional<String>> get(String namespace, String key);

    /** Removes {@code key}; whether it existed. */
    CompletableFuture<Boolean> delete(String namespace, String key);

    /** The namespace's keys, sorted (by UTF-16 code units, {@link String#compareTo}). */
    CompletableFuture<List<String>> keys(String namespace);

    /** {@code memory} or {@code redis}. */
    String backend();

    /** Releases connections; idempotent. */
    @Override
    void close();
}
