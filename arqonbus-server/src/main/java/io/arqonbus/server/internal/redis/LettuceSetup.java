package io.arqonbus.server.internal.redis;

import io.arqonbus.server.config.RedisConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How every Redis user of the server (history store, key-value store) talks to Redis with
 * Lettuce: the same address and credentials from {@link RedisConfig}, reconnecting by itself with
 * a short exponential delay, commands refused at once while disconnected (so callers degrade
 * instead of queueing), and the configured timeout on connects and commands.
 */
final class LettuceSetup {
    private LettuceSetup() {
    }

    /** Client resources with {@code threads} I/O and computation threads, and Lettuce's tracing hook. */
    static ClientResources resources(int threads, io.lettuce.core.tracing.Tracing tracing) {
        return DefaultClientResources.builder()
                .tracing(tracing)
                .ioThreadPoolSize(threads)
                .computationThreadPoolSize(threads)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2,
                        TimeUnit.MILLISECONDS))
                .build();
    }

    /** The server's address, database, TLS and credentials, naming the connection {@code clientName}. */
    static RedisURI uri(RedisConfig config, String clientName) {
        RedisURI.Builder uri = RedisURI.builder()
                .withHost(config.host())
                .withPort(config.port())
                .withSsl(config.ssl())
                .withDatabase(config.database())
                .withTimeout(config.commandTimeout())
                .withClientName(clientName);
        if (config.password() != null) {
            if (config.username() != null) {
                uri.withAuthentication(config.username(), config.password());
            } else {
                uri.withPassword(config.password());
            }
        }
        return uri.build();
    }

    /** A client on {@code resources} with the server's reconnect, refusal and timeout options. */
    static RedisClient client(ClientResources resources, RedisConfig config) {
        RedisClient client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(config.commandTimeout()).build())
                .build());
        return client;
    }

    /** Stops a client and its resources made here (either may be {@code null}), waiting at most 2 s each. */
    static void shutdown(RedisClient client, ClientResources resources) {
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (resources != null) {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
