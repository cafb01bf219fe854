package io.arqonbus.server.internal.transport;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bus port's connections between TCP accept and welcome: the upgrade, the token check and
 * the session's set-up are where a reconnect storm spends the server's time. Past the bound a
 * new upgrade is shed — answered at once and closed with 1013, without checking its token or
 * making a session — so that the connections already in progress finish within the clients'
 * timeouts instead of all of them waiting behind each other until they give up (and retrying,
 * which costs the server the same work again).
 *
 * <p>Two signs that the server is behind, either of which sheds: more connections in progress
 * than the bound (a backstop for memory and descriptors), or an upgrade request that reaches its
 * event loop more than half the handshake timeout after its connection was accepted (the loop is
 * that far behind: serving it and the ones queued after it would take the clients past their
 * timeouts). A count alone sheds while the loop is idle: at a restart, thousands of connections
 * are accepted within milliseconds and count as in progress before their requests are even read,
 * though the loop gets through them in well under a second each.
 *
 * <p>One per bus port, shared by its event loops. A connection {@link #begin() begins} when its
 * pipeline is made and {@link #end() ends} once, when it is welcomed, shed or closed.
 */
final class PendingHandshakes {
    /** The close reason of a shed connection (what the client should do). */
    static final String SHED_REASON = "server busy: retry with backoff";

    private final AtomicInteger inProgress = new AtomicInteger();
    private final int max;
    private final long maxWaitNanos;

    /**
     * @param max     the bound; 0 = none
     * @param maxWait the longest an upgrade request may have waited since its connection was
     *                accepted and still be served; zero or negative = no bound
     */
    PendingHandshakes(int max, Duration maxWait) {
        this.max = max;
        this.maxWaitNanos = maxWait.isPositive() ? maxWait.toNanos() : Long.MAX_VALUE;
    }

    /** The bound of the configuration: its count, and half its handshake timeout. */
    static PendingHandshakes of(int max, Duration handshakeTimeout) {
        return new PendingHandshakes(max, handshakeTimeout.dividedBy(2));
    }

    void begin() {
        inProgress.incrementAndGet();
    }

    void end() {
        inProgress.decrementAndGet();
    }

    /** Whether more connections are in progress than the bound allows (this one counted). */
    boolean overloaded() {
        return max > 0 && inProgress.get() > max;
    }

    /** Whether an upgrade request read {@code waitedNanos} after its connection's accept came too late to serve. */
    boolean waitedTooLong(long waitedNanos) {
        return waitedNanos > maxWaitNanos;
    }

    /** Connections in progress now. */
    int inProgress() {
        return inProgress.get();
    }
}
