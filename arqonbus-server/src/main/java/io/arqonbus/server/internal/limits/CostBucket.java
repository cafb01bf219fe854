package io.arqonbus.server.internal.limits;

/**
 * A token bucket for work whose cost is known only once it is done (the bytes of a history
 * reply): a request is admitted while the bucket holds any tokens, and its cost is charged
 * afterwards, which may leave the bucket in debt; the next request waits until the refill has paid
 * the debt. {@link TokenBucket} takes one token per message before the work and so does not fit.
 * Thread-safe: a request is admitted on the connection's event loop and charged by the worker that
 * did the work.
 */
public final class CostBucket {
    private final double tokensPerNano;
    private final double burst;
    private double tokens;
    private long lastNanos;

    /**
     * @param ratePerSecond refill rate in cost units a second, &gt; 0
     * @param burst         capacity, &gt; 0; the bucket starts full
     * @param nowNanos      the current {@code System.nanoTime()}
     */
    public CostBucket(long ratePerSecond, long burst, long nowNanos) {
        if (ratePerSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate and burst must be > 0: " + ratePerSecond + ", " + burst);
        }
        this.tokensPerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /**
     * Admits a request when the bucket holds tokens: returns 0; otherwise the nanoseconds until
     * it will (at least 1).
     */
    public synchronized long admit(long nowNanos) {
        refill(nowNanos);
        if (tokens > 0) {
            return 0;
        }
        return Math.max(1, (long) Math.ceil((-tokens + 1) / tokensPerNano));
    }

    /** Charges the cost of admitted work; the bucket may go into debt. */
    public synchronized void charge(long cost, long nowNanos) {
        refill(nowNanos);
        tokens -= cost;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * tokensPerNano);
            lastNanos = nowNanos;
        }
    }
}
