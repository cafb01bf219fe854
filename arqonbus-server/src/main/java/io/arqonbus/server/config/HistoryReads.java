package io.arqonbus.server.config;

/**
 * The per-connection budget of history reads ({@code history}, {@code history.get},
 * {@code history.replay}): a token bucket of reply bytes. A read is admitted while the
 * connection's bucket holds any bytes and is charged the stored bytes it sent (at least
 * {@link #MIN_COST_BYTES}); a read while the bucket is empty is answered {@code RATE_LIMITED} with
 * {@code retry_after_ms}.
 *
 * @param bytesPerSecond reply bytes a connection may read a second; 0 turns the budget off
 * @param burstBytes     reply bytes a connection may read at once above its rate (the bucket's size)
 */
public record HistoryReads(int bytesPerSecond, int burstBytes) {
    /**
     * Default reply bytes per second one connection may read: {@value} (4 MiB) — two maximum-size
     * replies a second with the default output budget (a reply carries at most half of
     * {@code ARQONBUS_MAX_PENDING_BYTES}, 2 MiB), thousands of small reads.
     */
    public static final int DEFAULT_BYTES_PER_SECOND = 4 << 20;
    /** Default bytes a connection may read at once above its rate: {@value} (8 MiB, four maximum-size replies). */
    public static final int DEFAULT_BURST_BYTES = 8 << 20;
    /** The least a read costs, however small its reply: {@value} bytes. */
    public static final int MIN_COST_BYTES = 1024;

    /** @throws ConfigException naming the setting that is out of range */
    public HistoryReads {
        ConfigException.check(bytesPerSecond >= 0, "history read rate: %d (expected: >= 0)", bytesPerSecond);
        ConfigException.check(burstBytes > 0, "history read burst: %d (expected: > 0)", burstBytes);
    }

    /** Whether reads are budgeted at all. */
    public boolean enabled() {
        return bytesPerSecond > 0;
    }
}
