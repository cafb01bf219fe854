package io.arqonbus.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * What inbound data may hold of memory, and what happens when memory runs out: the bound on
 * unfinished frames and fragmented messages across all connections, the time such a frame or
 * message has to finish, the out-of-memory policy and the direct-memory high-water mark of its
 * {@code shed} mode.
 *
 * @param maxPartialInboundBytes bytes all connections may hold of frames and messages that have only partly arrived;
 *                               a connection that would need more is closed with 1013
 * @param receiveTimeout         time a frame or fragmented message has from its first byte to its last (1008 past it);
 *                               zero = off
 * @param onOutOfMemory          halt the process (the default) or shed connections
 * @param directMemoryHighWater  with {@link OutOfMemoryPolicy#SHED}: handshakes are refused (503) while the direct
 *                               memory in use is above this many bytes
 */
public record MemoryLimits(long maxPartialInboundBytes, Duration receiveTimeout, OutOfMemoryPolicy onOutOfMemory,
        long directMemoryHighWater) {
    /** The default bound on unfinished inbound data is the maximum direct memory divided by this: {@value}. */
    public static final int DEFAULT_PARTIAL_INBOUND_SHARE = 4;
    /** The smallest default bound on unfinished inbound frames and messages: {@value} bytes. */
    public static final long MIN_DEFAULT_PARTIAL_INBOUND_BYTES = 1024 * 1024;
    /** Default time a frame (or a fragmented message) that has started arriving has to finish: 60 s. */
    public static final Duration DEFAULT_RECEIVE_TIMEOUT = Duration.ofSeconds(60);
    /** The default high-water mark of direct memory in use is this percentage of the maximum: {@value}. */
    public static final int DEFAULT_DIRECT_MEMORY_HIGH_WATER_PERCENT = 80;

    /**
     * The default bound on unfinished inbound frames and messages: a quarter of the direct memory
     * this JVM may use (Netty's view of it: {@code -Dio.netty.maxDirectMemory} when set, else
     * {@code -XX:MaxDirectMemorySize}, else the maximum heap), at least
     * {@link #MIN_DEFAULT_PARTIAL_INBOUND_BYTES}.
     */
    public static long defaultMaxPartialInboundBytes() {
        return Math.max(MIN_DEFAULT_PARTIAL_INBOUND_BYTES,
                io.netty.util.internal.PlatformDependent.maxDirectMemory() / DEFAULT_PARTIAL_INBOUND_SHARE);
    }

    /**
     * The default high-water mark of direct memory in use:
     * {@value #DEFAULT_DIRECT_MEMORY_HIGH_WATER_PERCENT}% of the direct memory this JVM may use.
     */
    public static long defaultDirectMemoryHighWater() {
        return io.netty.util.internal.PlatformDependent.maxDirectMemory() / 100 * DEFAULT_DIRECT_MEMORY_HIGH_WATER_PERCENT;
    }

    /** @throws ConfigException naming the setting that is out of range */
    public MemoryLimits {
        Objects.requireNonNull(receiveTimeout, "receiveTimeout");
        Objects.requireNonNull(onOutOfMemory, "onOutOfMemory");
        ConfigException.check(maxPartialInboundBytes > 0, "max partial inbound bytes: %d (expected: > 0)",
                maxPartialInboundBytes);
        ConfigException.check(!receiveTimeout.isNegative(), "receive timeout: %s (expected: >= 0)", receiveTimeout);
        ConfigException.check(directMemoryHighWater > 0, "direct memory high water: %d (expected: > 0)",
                directMemoryHighWater);
    }
}
