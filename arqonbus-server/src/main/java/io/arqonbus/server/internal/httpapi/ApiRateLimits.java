package io.arqonbus.server.internal.httpapi;

import io.arqonbus.server.internal.limits.TokenBucket;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One token bucket per caller name ({@code internal.limits.TokenBucket}): calls of one key from every
 * connection and event loop share it. A bucket is taken under its own monitor, for a few arithmetic
 * operations; callers are few (the configured keys and admin subjects).
 */
final class ApiRateLimits {
    private static final int MAX_CALLERS = 10_000;

    private final int ratePerSecond;
    private final int burst;
    private final ConcurrentMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    ApiRateLimits(int ratePerSecond, int burst) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
    }

    /** Takes one token of {@code caller}'s bucket; {@code false} when it is empty. */
    boolean tryTake(String caller) {
        long now = System.nanoTime();
        if (buckets.size() >= MAX_CALLERS && !buckets.containsKey(caller)) {
            buckets.clear();
        }
        TokenBucket bucket = buckets.computeIfAbsent(caller, c -> new TokenBucket(ratePerSecond, burst, now));
        synchronized (bucket) {
            return bucket.tryTake(now);
        }
    }

    int ratePerSecond() {
        return ratePerSecond;
    }
}
