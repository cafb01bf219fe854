package io.arqonbus.server.internal.transport;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bus port's connections between TCP accept and welcome: the upgrade, the token check and
 * the session's set-up are where a reconnect storm spends the server's time. Past the bound a
 * new upgrade is shed — answered at once and closed with 1013, without checking its token or
 * making a session — so that the connections already in progress finish within the clients'
 * timeouts instead of all of them waiting behind each other until they give up (and retrying,
 * which costs the server the same work again).
 *
 * <p>One per bus port, shared by its event loops. A connection {@link #begin() begins} when its
 * pipeline is made and {@link #end() ends} once, when it is welcomed, shed or closed.
 */
final class PendingHandshakes {
    /** The close reason of a shed connection (what the client should do). */
    static final String SHED_REASON = "server busy: retry with backoff";

    private final AtomicInteger inProgress = new AtomicInteger();
    private final int max;

    /** @param max the bound; 0 = none */
    PendingHandshakes(int max) {
        this.max = max;
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

    /** Connections in progress now. */
    int inProgress() {
        return inProgress.get();
    }
}
