package io.arqonbus.server.internal.limits;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all connections together may hold of inbound data they have not finished receiving:
 * the part of a WebSocket frame that has arrived while the rest has not, and the fragments of a
 * message still being reassembled. One instance per server, shared by every connection;
 * thread-safe. A connection takes bytes before it keeps them and gives them back when the frame or
 * message is complete (or the connection ends); a connection that cannot take what it needs is
 * closed with 1013, so the sum never passes the capacity.
 *
 * <p>Connections only touch this when a read ends inside a frame (or a message arrives in
 * fragments): a read holding whole frames costs nothing here.
 */
public final class InboundBudget {
    private final long capacity;
    private final AtomicLong held = new AtomicLong();

    /** @param capacity bytes all connections together may hold; &gt; 0 */
    public InboundBudget(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        this.capacity = capacity;
    }

    /** Takes {@code bytes} if they fit in what is left; {@code false} (and nothing taken) when they do not. */
    public boolean tryTake(long bytes) {
        if (bytes <= 0) {
            return true;
        }
        long now;
        do {
            now = held.get();
            if (bytes > capacity - now) {
                return false;
            }
        } while (!held.compareAndSet(now, now + bytes));
        return true;
    }

    /** Gives back {@code bytes} taken earlier. */
    public void give(long bytes) {
        if (bytes > 0) {
            held.addAndGet(-bytes);
        }
    }

    /** Bytes held now, by all connections. */
    public long held() {
        return held.get();
    }

    /** Bytes all connections together may hold. */
    public long capacity() {
        return capacity;
    }
}
