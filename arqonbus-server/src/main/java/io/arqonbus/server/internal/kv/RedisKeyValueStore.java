package io.arqonbus.server.internal.kv;

import io.arqonbus.server.internal.async.Failures;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.internal.history.StoreUnavailableException;
import io.arqonbus.server.internal.redis.RedisLink;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The key-value store in Redis (or Valkey), used when Redis is the configured storage backend:
 * one hash per namespace under {@code <key prefix>kv:<namespace>} (by default
 * {@code arqonbus:kv:<namespace>}), one field per key, the value's JSON text as the field's value.
 * It talks to Redis on its own connection of the server's {@link RedisLink} (the history store's
 * settings, {@link RedisConfig}), made on first use without blocking, which reconnects by itself. While Redis cannot
 * be reached every call fails at once or after the command timeout with
 * {@link StoreUnavailableException}. A {@code set} checks the per-namespace bound and writes in one
 * script, so concurrent writers cannot pass it.
 */
public final class RedisKeyValueStore implements KeyValueStore {
    /** KEYS[1] namespace hash; ARGV key, value, max keys. Returns 1 replaced, 0 created, -1 full. */
    static final String SET = """
            local existed = redis.call('HEXISTS', KEYS[1], ARGV[1])
            if existed == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then
              return -1
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            return existed
            """;

    private final RedisConfig config;
    private final int maxKeysPerNamespace;
    private final String prefix;
    private final Object lifecycle = new Object();
    private final RedisLink link;
    private boolean closed;

    /**
     * @param link                the connection to Redis, shared with its other users; closed by its owner
     * @param maxKeysPerNamespace the bound a {@code set} of a new key checks
     */
    public RedisKeyValueStore(RedisLink link, int maxKeysPerNamespace) {
        this.link = link;
        this.config = link.config();
        this.maxKeysPerNamespace = maxKeysPerNamespace;
        this.prefix = config.keyPrefix() + "kv:";
    }

    /** The Redis key of a namespace's hash. */
    String redisKey(String namespace) {
        return prefix + namespace;
    }

    @Override
    public CompletableFuture<Boolean> set(String namespace, String key, String json) {
        return run(conn -> conn.async().<Long>eval(SET, ScriptOutputType.INTEGER, new String[] {redisKey(namespace)},
                key, json, Integer.toString(maxKeysPerNamespace)).toCompletableFuture()
                .thenApply(result -> {
                    if (result == -1L) {
                        throw new NamespaceFullException(namespace, maxKeysPerNamespace);
                    }
                    return result == 1L;
                }));
    }

    @Override
    public CompletableFuture<Optional<String>> get(String namespace, String key) {
        return run(conn -> conn.async().hget(redisKey(namespace), key).toCompletableFuture()
                .thenApply(Optional::ofNullable));
    }

    @Override
    public CompletableFuture<Boolean> delete(String namespace, String key) {
        return run(conn -> conn.async().hdel(redisKey(namespace), key).toCompletableFuture()
                .thenApply(removed -> removed != null && removed > 0));
    }

    @Override
    public CompletableFuture<List<String>> keys(String namespace) {
        return run(conn -> conn.async().hkeys(redisKey(namespace)).toCompletableFuture()
                .thenApply(keys -> {
                    List<String> sorted = new ArrayList<>(keys);
                    Collections.sort(sorted);
                    return List.copyOf(sorted);
                }));
    }

    @Override
    public String backend() {
        return config.backend();
    }

    private <T> CompletableFuture<T> run(Function<StatefulRedisConnection<String, String>, CompletableFuture<T>> call) {
        return Failures.attempt(() -> connection().thenCompose(call), this::unavailable);
    }

    /** The link's key-value connection, made on first use; a failed attempt is retried by the next call. */
    private CompletableFuture<StatefulRedisConnection<String, String>> connection() {
        synchronized (lifecycle) {
            if (closed) {
                throw new StoreUnavailableException("the key-value store is closed");
            }
        }
        return link.connection("arqonbus-kv", StringCodec.UTF8);
    }

    /** Refuses later calls; the connection is the link's, closed by its owner. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            closed = true;
        }
    }

    private RuntimeException unavailable(Throwable error) {
        return Failures.unwrap(error) instanceof NamespaceFullException full ? full
                : StoreUnavailableException.of(link.description(), error);
    }
}
