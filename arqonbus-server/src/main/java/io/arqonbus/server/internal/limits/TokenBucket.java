package io.arqonbus.server.internal.limits;

/**
 * A token bucket: {@code ratePerSecond} tokens a second up to {@code burst}; each message takes
 * one. Not thread-safe: one bucket belongs to one connection and is used on its event loop.
 */
public final class TokenBucket {
    private final Tokens tokens;

    /**
     * @param ratePerSecond refill rate, &gt; 0
     * @param burst         capacity, &gt; 0; the bucket starts full
     * @param nowNanos      the current {@code System.nanoTime()}
     */
    public TokenBucket(int ratePerSecond, int burst, long nowNanos) {
        this.tokens = new Tokens(ratePerSecond, burst, nowNanos);
    }

    /** Takes one token if there is one. */
    public boolean tryTake(long nowNanos) {
        if (tokens.refill(nowNanos) >= 1) {
            tokens.take(1);
            return true;
        }
        return false;
    }
}
