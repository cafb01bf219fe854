package io.arqonbus.server.internal.auth;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection when its token expires (protocol §12: close code 4003): a timer on the
 * connection's own event loop, due at the token's {@code exp} plus the clock skew (the moment the
 * token would no longer verify), moved by a refresh, cancelled when the connection closes.
 * Loop-confined: call every method on the connection's event loop.
 */
public final class TokenExpiry {
    private final EventLoop loop;
    private final Clock clock;
    private final Duration skew;
    private final Runnable onExpired;
    private ScheduledFuture<?> timer;
    private Instant deadline;
    private boolean stopped;

    /**
     * @param loop      the connection's event loop
     * @param clock     the server's clock
     * @param skew      the configured clock skew
     * @param onExpired closes the connection with 4003; runs on {@code loop}
     */
    public TokenExpiry(EventLoop loop, Clock clock, Duration skew, Runnable onExpired) {
        this.loop = loop;
        this.clock = clock;
        this.skew = skew;
        this.onExpired = onExpired;
    }

    /** Watches a token that expires at {@code expiresAt}; {@code null} (no {@code exp}) never expires. */
    public void watch(Instant expiresAt) {
        cancelTimer();
        deadline = null;
        if (stopped || expiresAt == null) {
            return;
        }
        deadline = expiresAt.plus(skew);
        long delayMillis = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
        timer = loop.schedule(this::fire, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void fire() {
        timer = null;
        if (!stopped) {
            stopped = true;
            onExpired.run();
        }
    }

    /** When the connection will be closed, or {@code null} when its token does not expire. */
    public Instant deadline() {
        return deadline;
    }

    /** The connection closed: no more timer. Idempotent. */
    public void stop() {
        stopped = true;
        cancelTimer();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
