package io.arqonbus.server.internal.history;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.internal.redis.RedisLink;
import io.netty.util.internal.PlatformDependent;
import java.time.Clock;
import java.time.Duration;

/** Makes the history store the configuration asks for. */
public final class HistoryStores {
    /** How often a Redis store is looked at for outages and, while down, probed. */
    static final Duration REDIS_CHECK_INTERVAL = Duration.ofMillis(500);

    private HistoryStores() {
    }

    /**
     * The configured store, not yet opened.
     *
     * @param redis the server's link to Redis when {@link ServerConfig#redis()} is set, else {@code null}
     */
    public static HistoryStore create(ServerConfig config, RedisLink redis, Clock clock, EnvelopeCodec codec) {
        if (config.storage().redis() != null) {
            return redis(config, redis, clock, codec);
        }
        if (config.storage().store().isFile()) {
            return new RocksHistoryStore(config.storage().store().directory(), config.history().maxSize(), config.history().maxAge(),
                    config.storage().sync(), clock, codec);
        }
        return memory(config, clock, codec);
    }

    private static MemoryHistoryStore memory(ServerConfig config, Clock clock, EnvelopeCodec codec) {
        long direct = PlatformDependent.maxDirectMemory();
        int message = config.limits().maxMessageSize();
        return new MemoryHistoryStore(config.history().maxSize(), config.history().streamBytes(direct, message),
                config.history().totalBytes(direct, message), config.history().maxAge(), clock, codec);
    }

    /** Redis Streams, watched for outages per {@link ServerConfig#storageMode()}. */
    private static HistoryStore redis(ServerConfig config, RedisLink link, Clock clock, EnvelopeCodec codec) {
        RedisHistoryStore redis = new RedisHistoryStore(link, config.history().maxSize(),
                config.history().maxAge(), clock, codec);
        return new DegradableHistoryStore(redis, redis::ping, config.storage().mode(), () -> memory(config, clock, codec),
                REDIS_CHECK_INTERVAL, config.storage().redis().commandTimeout(), clock);
    }
}
