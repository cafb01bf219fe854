package io.arqonbus.client;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When to try again after a connection ended with a code that says "reconnect": exponential
 * backoff with full jitter and a ceiling. Attempt {@code n} (from 0) waits a uniformly random
 * time in {@code [0, min(maxDelay, initialDelay × 2^n)]}; the count starts again once a
 * connection reached {@link ClientState#CONNECTED}. After {@code maxAttempts} failed attempts in a
 * row the client stops ({@link ClientState#CLOSED}).
 *
 * @param initialDelay the first ceiling
 * @param maxDelay     the largest ceiling, &ge; {@code initialDelay}
 * @param maxAttempts  reconnect attempts in a row before giving up: {@link Integer#MAX_VALUE} =
 *                     never give up, 0 = never reconnect
 */
public record ReconnectPolicy(Duration initialDelay, Duration maxDelay, int maxAttempts) {
    /** The default first ceiling: {@value} ms. */
    public static final long DEFAULT_INITIAL_MILLIS = 200;
    /** The default largest ceiling: {@value} ms. */
    public static final long DEFAULT_MAX_MILLIS = 20_000;

    public ReconnectPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("delays: initial " + initialDelay + ", max " + maxDelay
                    + " (expected: 0 <= initial <= max)");
        }
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 0)");
        }
    }

    /** The default policy: 200 ms doubling up to 20 s, never giving up. */
    public static ReconnectPolicy defaults() {
        return exponential(Duration.ofMillis(DEFAULT_INITIAL_MILLIS), Duration.ofMillis(DEFAULT_MAX_MILLIS));
    }

    /** Exponential backoff with full jitter between these bounds, never giving up. */
    public static ReconnectPolicy exponential(Duration initialDelay, Duration maxDelay) {
        return new ReconnectPolicy(initialDelay, maxDelay, Integer.MAX_VALUE);
    }

    /** Never reconnect: the first end of the connection closes the client. */
    public static ReconnectPolicy none() {
        return new ReconnectPolicy(Duration.ZERO, Duration.ZERO, 0);
    }

    /** This policy giving up after {@code attempts} failures in a row. */
    public ReconnectPolicy withMaxAttempts(int attempts) {
        return new ReconnectPolicy(initialDelay, maxDelay, attempts);
    }

    /** Whether attempt {@code attempt} (from 0) may be made. */
    public boolean allows(int attempt) {
        return attempt < maxAttempts;
    }

    /** The ceiling of attempt {@code attempt}: {@code min(maxDelay, initialDelay × 2^attempt)}. */
    public Duration ceiling(int attempt) {
        double grown = initialDelay.toMillis() * Math.pow(2, Math.min(attempt, 60));
        return Duration.ofMillis((long) Math.min(maxDelay.toMillis(), grown));
    }

    /** The delay before attempt {@code attempt} (from 0): uniform in {@code [0, ceiling(attempt)]}. */
    public Duration delay(int attempt, RandomGenerator random) {
        long ceiling = ceiling(attempt).toMillis();
        return Duration.ofMillis(ceiling <= 0 ? 0 : random.nextLong(ceiling + 1));
    }
}
