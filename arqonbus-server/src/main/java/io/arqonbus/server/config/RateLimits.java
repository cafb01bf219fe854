package io.arqonbus.server.config;

/**
 * The per-connection message rate: a token bucket, and how many rate-limited messages close the
 * connection.
 *
 * @param perSecond  messages per second one connection may send; 0 turns the limit off
 * @param burst      messages a connection may send at once above its rate (the bucket's size)
 * @param closeAfter rate-limited messages, each less than a second after the previous one, that close
 *                   the connection with 4002
 */
public record RateLimits(int perSecond, int burst, int closeAfter) {
    /**
     * Default messages per second one connection may send: {@value} — a guard against floods, well
     * above what one publisher sends in the benchmarks (about 20,000 a second at most).
     */
    public static final int DEFAULT_PER_SECOND = 50_000;
    /** Default number of messages a connection may send at once above its rate (token bucket size): {@value}. */
    public static final int DEFAULT_BURST = 100_000;
    /** Default number of rate-limited messages (less than a second apart) that close a connection with 4002: {@value}. */
    public static final int DEFAULT_CLOSE_AFTER = 100;

    /** @throws ConfigException naming the setting that is out of range */
    public RateLimits {
        ConfigException.check(closeAfter > 0, "rate limit close after: %d (expected: > 0)", closeAfter);
        ConfigException.check(burst > 0, "rate limit burst: %d (expected: > 0)", burst);
        ConfigException.check(perSecond >= 0, "rate limit: %d (expected: >= 0)", perSecond);
    }
}
