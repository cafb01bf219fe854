package io.arqonbus.server.internal.limits;

/**
 * A token bucket: {@code ratePerSecond} tokens a second up to {@code burst}; each message takes
 * one. Not thread-safe: one bucket belongs to one connection and is used on its event loop.
 */
public final class TokenBucket {
    private final double tokensPerNano;
    private final double burst;
    private double tokens;
    private long lastNanos;

    /**
     * @param ratePerSecond refill rate, &gt; 0
     * @param burst         capacity, &gt; 0; the bucket starts full
     * @param nowNanos      the current {@code System.nanoTime()}
     */
    public TokenBucket(int ratePerSecond, int burst, long nowNanos) {
        if (ratePerSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate and burst must be > 0: " + ratePerSecond + ", " + burst);
        }
        this.tokensPerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /** Takes one token if there is one. */
    public boolean tryTake(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * tokensPerNano);
            lastNanos = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
