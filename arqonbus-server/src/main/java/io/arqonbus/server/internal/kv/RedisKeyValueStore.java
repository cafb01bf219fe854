package io.arqonbus.server.internal.kv;

import io.arqonbus.server.internal.async.Failures;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.internal.history.StoreUnavailableException;
import io.arqonbus.server.internal.redis.LettuceSetup;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key-value store in Redis (or Valkey), used when Redis is the configured storage backend:
 * one hash per namespace under {@code <key prefix>kv:<namespace>} (by default
 * {@code arqonbus:kv:<namespace>}), one field per key, the value's JSON text as the field's value.
 * The connection settings are the history store's ({@link RedisConfig}); this store has its own
 * connection, made on first use without blocking, which reconnects by itself. While Redis cannot
 * be reached every call fails at once or after the command timeout with
 * {@link StoreUnavailableException}. A {@code set} checks the per-namespace bound and writes in one
 * script, so concurrent writers cannot pass it.
 */
public final class RedisKeyValueStore implements KeyValueStore {
    private static final Logger log = LoggerFactory.getLogger(RedisKeyValueStore.class);
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
    private ClientResources resources;
    private RedisClient client;
    private CompletableFuture<StatefulRedisConnection<String, String>> connection;
    private boolean closed;

    public RedisKeyValueStore(RedisConfig config, int maxKeysPerNamespace) {
        this.config = config;
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
        CompletableFuture<StatefulRedisConnection<String, String>> conn;
        try {
            conn = connection();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(unavailable(e));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        conn.thenCompose(call).whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(unavailable(error));
            }
        });
        return result;
    }

    /** The connection, started on first use; a failed attempt is forgotten so the next call retries. */
    private CompletableFuture<StatefulRedisConnection<String, String>> connection() {
        synchronized (lifecycle) {
            if (closed) {
                throw new StoreUnavailableException("the key-value store is closed");
            }
            if (connection != null && !connection.isCompletedExceptionally()) {
                return connection;
            }
            if (client == null) {
                resources = LettuceSetup.resources(1);
                client = LettuceSetup.client(resources, config);
            }
            connection = client.connectAsync(StringCodec.UTF8, LettuceSetup.uri(config, "arqonbus-kv")).toCompletableFuture();
            connection.whenComplete((conn, error) -> {
                if (error != null) {
                    log.debug("event=kv_connect_failed address={} msg=\"{}\"", config.address(), Failures.unwrap(error));
                } else {
                    log.debug("event=kv_connected address={} prefix={}", config.address(), prefix);
                }
            });
            return connection;
        }
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (connection != null) {
                connection.thenAccept(StatefulRedisConnection::closeAsync);
                connection = null;
            }
            LettuceSetup.shutdown(client, resources);
        }
    }

    private RuntimeException unavailable(Throwable error) {
        Throwable cause = Failures.unwrap(error);
        if (cause instanceof NamespaceFullException full) {
            return full;
        }
        if (cause instanceof StoreUnavailableException sue) {
            return sue;
        }
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new StoreUnavailableException(config.backend() + " at " + config.address() + ": " + reason, cause);
    }
}
