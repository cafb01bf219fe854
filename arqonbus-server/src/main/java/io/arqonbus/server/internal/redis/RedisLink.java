package io.arqonbus.server.internal.redis;

import io.arqonbus.server.internal.tracing.BusTracing;
import io.arqonbus.server.internal.tracing.TraceContexts;
import java.util.function.Supplier;

import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.internal.async.Failures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's one way to Redis (or Valkey): one Lettuce client with its threads, set up by
 * {@link LettuceSetup}, and the connections its users (the history store, the key-value store)
 * ask for, each made once and shared from then on. It reports whether those connections are up
 * and closes them all, once. Its users take it through their constructors and never close it.
 *
 * <p>Connections reconnect by themselves; while one is down its commands are refused at once or
 * time out (see {@link LettuceSetup}). Thread-safe.
 */
public final class RedisLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
    /** I/O and computation threads of the client. */
    private static final int THREADS = 2;

    private final RedisConfig config;
    private final BusTracing tracing;
    private final ClientResources resources;
    private final RedisClient client;
    private final Map<String, CompletableFuture<? extends StatefulRedisConnection<?, ?>>> connections =
            new LinkedHashMap<>();
    private boolean closed;

    /** Sets up the client for {@code config}; connects nothing yet. */
    public RedisLink(RedisConfig config) {
        this(config, BusTracing.off());
    }

    /** Like the other constructor, with a span per Redis command issued in a traced step. */
    public RedisLink(RedisConfig config, BusTracing tracing) {
        this.config = config;
        this.tracing = tracing;
        this.resources = LettuceSetup.resources(THREADS, tracing.redisCommands());
        this.client = LettuceSetup.client(resources, config);
    }

    /**
     * {@code command}, to be issued on another thread (a pipeline's sender), under the span current
     * on this one, so its Redis span joins the trace; {@code command} itself while tracing is off.
     */
    public <T> Supplier<T> inCurrentSpan(Supplier<T> command) {
        return tracing.enabled() ? TraceContexts.carry(command) : command;
    }

    /** Where Redis is and how it is talked to. */
    public RedisConfig config() {
        return config;
    }

    /**
     * The connection named {@code clientName} (the name Redis shows for it), made without blocking
     * on the first call and shared by every later call with that name. An attempt that failed is
     * forgotten, so the next call tries again. Fails with {@link IllegalStateException} once
     * closed.
     *
     * @param codec how keys and values are encoded; the same for every call with this name
     */
    @SuppressWarnings("unchecked")
    public <K, V> CompletableFuture<StatefulRedisConnection<K, V>> connection(String clientName,
            RedisCodec<K, V> codec) {
        synchronized (connections) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the Redis connections are closed"));
            }
            var made = connections.get(clientName);
            if (made != null && !made.isCompletedExceptionally()) {
                return (CompletableFuture<StatefulRedisConnection<K, V>>) made;
            }
            CompletableFuture<StatefulRedisConnection<K, V>> connecting = client
                    .connectAsync(codec, LettuceSetup.uri(config, clientName)).toCompletableFuture();
            connections.put(clientName, connecting);
            connecting.whenComplete((conn, error) -> {
                if (error != null) {
                    log.atDebug()
                            .addKeyValue("event", "redis_connect_failed")
                            .addKeyValue("client", clientName)
                            .addKeyValue("address", config.address())
                            .addKeyValue("msg", Failures.unwrap(error))
                            .log("redis_connect_failed");
                } else {
                    log.atDebug()
                            .addKeyValue("event", "redis_connected")
                            .addKeyValue("client", clientName)
                            .addKeyValue("address", config.address())
                            .addKeyValue("prefix", config.keyPrefix())
                            .log("redis_connected");
                }
            });
            return connecting;
        }
    }

    /**
     * A publish/subscribe connection named {@code clientName}, made without blocking and shared
     * like {@link #connection}; it resubscribes by itself after a reconnect.
     */
    @SuppressWarnings("unchecked")
    public <K, V> CompletableFuture<StatefulRedisPubSubConnection<K, V>> pubSubConnection(String clientName,
            RedisCodec<K, V> codec) {
        synchronized (connections) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the Redis connections are closed"));
            }
            var made = connections.get(clientName);
            if (made != null && !made.isCompletedExceptionally()) {
                return (CompletableFuture<StatefulRedisPubSubConnection<K, V>>) made;
            }
            CompletableFuture<StatefulRedisPubSubConnection<K, V>> connecting = client
                    .connectPubSubAsync(codec, LettuceSetup.uri(config, clientName)).toCompletableFuture();
            connections.put(clientName, connecting);
            return connecting;
        }
    }

    /** Threads for periodic Redis work off the callers' threads (e.g. trimming), stopped by {@link #close()}. */
    public EventExecutorGroup executor() {
        return resources.eventExecutorGroup();
    }

    /**
     * Why Redis cannot be used now, or empty while the connections made are open: a connection
     * that was lost is reconnecting; with none made yet (or only failed attempts) it is not
     * connected.
     */
    public Optional<String> down() {
        synchronized (connections) {
            if (closed) {
                return Optional.of(description() + " is closed");
            }
            boolean connected = false;
            for (var made : connections.values()) {
                if (made.isDone() && !made.isCompletedExceptionally()) {
                    if (!made.join().isOpen()) {
                        return Optional.of("lost the connection to " + description() + "; reconnecting");
                    }
                    connected = true;
                }
            }
            return connected ? Optional.empty() : Optional.of(description() + " is not connected");
        }
    }

    /** {@code redis at host:port} (or {@code valkey at …}), as messages name it. */
    public String description() {
        return config.backend() + " at " + config.address();
    }

    /** Closes every connection and stops the client's threads, waiting at most 2 s each; idempotent. */
    @Override
    public void close() {
        synchronized (connections) {
            if (closed) {
                return;
            }
            closed = true;
            for (var made : connections.values()) {
                made.thenAccept(StatefulRedisConnection::closeAsync);
            }
            connections.clear();
        }
        LettuceSetup.shutdown(client, resources);
    }
}
