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
    private final Tokens tokens;

    /**
     * @param ratePerSecond refill rate in cost units a second, &gt; 0
     * @param burst         capacity, &gt; 0; the bucket starts full
     * @param nowNanos      the current {@code System.nanoTime()}
     */
    public CostBucket(long ratePerSecond, long burst, long nowNanos) {
        this.tokens = new Tokens(ratePerSecond, burst, nowNanos);
    }

    /**
     * Admits a request when the bucket holds tokens: returns 0; otherwise the nanoseconds until
     * it will (at least 1).
     */
    public synchronized long admit(long nowNanos) {
        return tokens.refill(nowNanos) > 0 ? 0 : tokens.nanosUntilPositive();
    }

    /** Charges the cost of admitted work; the bucket may go into debt. */
    public synchronized void charge(long cost, long nowNanos) {
        tokens.refill(nowNanos);
        tokens.take(cost);
    }
}
