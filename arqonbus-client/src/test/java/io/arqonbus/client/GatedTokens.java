package io.arqonbus.client;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A token supplier a test can close: while closed, a connection attempt waits in the supplier
 * (the SDK calls it on a virtual thread before every attempt), so the test decides exactly when
 * the client reconnects. Each call returns a new token string ({@code token-1}, {@code token-2}…)
 * unless {@link #sameTokenAlways()} is set; a server with auth off ignores it.
 */
final class GatedTokens implements Supplier<String> {
    private final AtomicInteger calls = new AtomicInteger();
    private boolean open = true;
    private boolean same;

    @Override
    public String get() {
        synchronized (this) {
            while (!open) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        int n = calls.incrementAndGet();
        return same ? "token-same" : "token-" + n;
    }

    /** Attempts from now on wait. */
    synchronized void close() {
        open = false;
    }

    /** Lets waiting and later attempts through. */
    synchronized void open() {
        open = true;
        notifyAll();
    }

    /** Every call returns the same token (so a 4003 close cannot be answered with a new one). */
    synchronized GatedTokens sameTokenAlways() {
        same = true;
        return this;
    }

    int calls() {
        return calls.get();
    }
}
