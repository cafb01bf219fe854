package io.arqonbus.server.internal.limits;

/**
 * The state of a token bucket: {@code ratePerSecond} tokens a second up to {@code burst}, starting
 * full. Not thread-safe; {@link TokenBucket} and {@link CostBucket} decide how it is guarded.
 */
final class Tokens {
    private final double tokensPerNano;
    private final double burst;
    private double tokens;
    private long lastNanos;

    /**
     * @param ratePerSecond refill rate, &gt; 0
     * @param burst         capacity, &gt; 0; the bucket starts full
     * @param nowNanos      the current {@code System.nanoTime()}
     */
    Tokens(double ratePerSecond, double burst, long nowNanos) {
        if (ratePerSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate and burst must be > 0: " + ratePerSecond + ", " + burst);
        }
        this.tokensPerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /** The tokens held now, after the refill since the last call (negative while in debt). */
    double refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * tokensPerNano);
            lastNanos = nowNanos;
        }
        return tokens;
    }

    /** Takes {@code amount} tokens, possibly going into debt. */
    void take(double amount) {
        tokens -= amount;
    }

    /** Nanoseconds until the bucket holds at least one token again (at least 1). */
    long nanosUntilPositive() {
        return Math.max(1, (long) Math.ceil((-tokens + 1) / tokensPerNano));
    }
}
