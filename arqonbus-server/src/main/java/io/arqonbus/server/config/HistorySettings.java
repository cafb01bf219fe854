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
 */
public record HistorySettings(int maxSize, int maxLimit, Duration maxAge, int recoveryMaxMessages,
        Duration dedupWindow, int recentEventsSize) {
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
    /** The largest allowed recent-events ring: {@value}. */
    public static final int MAX_RECENT_EVENTS_SIZE = 10_000;

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
    }
}
