package io.arqonbus.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * What the server remembers of past publications: the history bounds, recovery, the idempotency
 * window and the recent-events ring.
 *
 * @param maxSize             messages kept per {@code room:channel}; 0 keeps none
 * @param maxLimit            largest {@code limit} of one history request
 * @param maxAge              age after which history entries are dropped
 * @param recoveryMaxMessages largest number of publications one recovery sends
 * @param dedupWindow         time an idempotency key is remembered per channel
 * @param recentEventsSize    recent publications kept for {@code GET /events/recent} and {@code ?welcome=recent}
 * @param maxBytes            bytes kept per {@code room:channel} by the memory store; 0 derives it
 *                            (see {@link #streamBytes})
 * @param maxTotalBytes       bytes the memory store keeps in all; 0 derives it (see {@link #totalBytes})
 */
public record HistorySettings(int maxSize, int maxLimit, Duration maxAge, int recoveryMaxMessages,
        Duration dedupWindow, int recentEventsSize, long maxBytes, long maxTotalBytes) {
    /** Default messages kept per {@code room:channel}: {@value}. */
    public static final int DEFAULT_MAX_SIZE = 10_000;
    /** Default maximum {@code limit} of one history request: {@value}. */
    public static final int DEFAULT_MAX_LIMIT = 1000;
    /** Default age after which history entries are dropped: 24 h. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
    /** Default largest number of publications one recovery sends: {@value}. */
    public static final int DEFAULT_RECOVERY_MAX_MESSAGES = 1000;
    /** Default time an idempotency key is remembered per channel: 5 min. */
    public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofMinutes(5);
    /** Default number of recent publications kept for {@code GET /events/recent} and {@code ?welcome=recent}: {@value}. */
    public static final int DEFAULT_RECENT_EVENTS_SIZE = 100;
    /** The largest derived per-channel byte bound: 64 MiB. */
    public static final long DEFAULT_MAX_STREAM_BYTES = 64L << 20;
    /** The derived total byte bound is the max direct memory divided by {@value}. */
    public static final int DIRECT_MEMORY_SHARE = 4;
    /** The derived per-channel byte bound is the total divided by {@value} (at most 64 MiB). */
    public static final int STREAM_SHARE = 8;
    /** The largest allowed recent-events ring: {@value}. */
    public static final int MAX_RECENT_EVENTS_SIZE = 10_000;

    /** The settings without byte bounds of their own: both derived. */
    public HistorySettings(int maxSize, int maxLimit, Duration maxAge, int recoveryMaxMessages, Duration dedupWindow,
            int recentEventsSize) {
        this(maxSize, maxLimit, maxAge, recoveryMaxMessages, dedupWindow, recentEventsSize, 0, 0);
    }

    /** @throws ConfigException naming the setting that is out of range */
    public HistorySettings {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(dedupWindow, "dedupWindow");
        ConfigException.check(maxSize >= 0, "max history size: %d (expected: >= 0)", maxSize);
        ConfigException.check(maxLimit > 0, "max history limit: %d (expected: > 0)", maxLimit);
        ConfigException.check(recoveryMaxMessages >= 0, "recovery max messages: %d (expected: >= 0)",
                recoveryMaxMessages);
        ConfigException.check(!dedupWindow.isNegative(), "dedup window: %s (expected: >= 0)", dedupWindow);
        ConfigException.check(maxAge.isPositive(), "history max age: %s (expected: > 0)", maxAge);
        ConfigException.check(recentEventsSize >= 0 && recentEventsSize <= MAX_RECENT_EVENTS_SIZE,
                "recent events size: %d (expected: 0 to %d)", recentEventsSize, MAX_RECENT_EVENTS_SIZE);
        ConfigException.check(maxBytes >= 0, "max history bytes: %d (expected: >= 0)", maxBytes);
        ConfigException.check(maxTotalBytes >= 0, "max history total bytes: %d (expected: >= 0)", maxTotalBytes);
        ConfigException.check(maxBytes == 0 || maxTotalBytes == 0 || maxTotalBytes >= maxBytes,
                "max history total bytes: %d (expected: >= max history bytes %d)", maxTotalBytes, maxBytes);
    }

    /**
     * Checks the byte bounds against the largest publication, which history must always be able to
     * keep alone.
     *
     * @throws ConfigException when a bound set is below {@code maxMessageSize}
     */
    public void checkBytes(int maxMessageSize) {
        ConfigException.check(maxBytes == 0 || maxBytes >= maxMessageSize,
                "max history bytes: %d (expected: >= max message size %d)", maxBytes, maxMessageSize);
        ConfigException.check(maxTotalBytes == 0 || maxTotalBytes >= maxMessageSize,
                "max history total bytes: %d (expected: >= max message size %d)", maxTotalBytes, maxMessageSize);
    }

    /**
     * The bytes the memory store keeps in all: {@link #maxTotalBytes} when set, else
     * {@code maxDirectMemory / }{@value #DIRECT_MEMORY_SHARE}; never below {@code maxMessageSize}.
     */
    public long totalBytes(long maxDirectMemory, int maxMessageSize) {
        long total = maxTotalBytes > 0 ? maxTotalBytes : maxDirectMemory / DIRECT_MEMORY_SHARE;
        return Math.max(total, maxMessageSize);
    }

    /**
     * The bytes the memory store keeps per {@code room:channel}: {@link #maxBytes} when set, else
     * {@code min(total / }{@value #STREAM_SHARE}{@code , 64 MiB)}; never below {@code maxMessageSize}
     * nor above the total.
     */
    public long streamBytes(long maxDirectMemory, int maxMessageSize) {
        long total = totalBytes(maxDirectMemory, maxMessageSize);
        long stream = maxBytes > 0 ? maxBytes : Math.min(total / STREAM_SHARE, DEFAULT_MAX_STREAM_BYTES);
        return Math.min(Math.max(stream, maxMessageSize), total);
    }
}
