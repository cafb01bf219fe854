package io.arqonbus.server.internal.session;

import io.netty.channel.EventLoop;
import java.util.ArrayList;

/**
 * What belongs to one event loop: its index (channels keep one member list per index) and the
 * flush batcher of the connections it serves. Everything here is confined to that loop.
 */
public final class LoopContext {
    private final int index;
    private final EventLoop loop;
    private final ArrayList<Session> dirty = new ArrayList<>();
    private final Runnable flushTask = this::flushDirty;
    private boolean flushScheduled;

    LoopContext(int index, EventLoop loop) {
        this.index = index;
        this.loop = loop;
    }

    /** This loop's position among the server's loops. */
    public int index() {
        return index;
    }

    /** The event loop. */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Queues a delivery (or any task that writes to this loop's connections) at the end of this
     * loop's task queue, even when called on the loop itself. Every frame to a connection goes
     * through here, so replies, notices and fan-out reach a connection in the order they were
     * caused, and a close queued later never overtakes them.
     */
    public void enqueue(Runnable task) {
        loop.execute(task);
    }

    /**
     * Remembers that the session has unflushed writes. All such sessions are flushed once, by a
     * task queued behind the work that is already waiting on this loop, so a burst of
     * publications costs one flush per connection, not one per message.
     */
    void markDirty(Session session) {
        dirty.add(session);
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flushTask);
        }
    }

    private void flushDirty() {
        flushScheduled = false;
        ArrayList<Session> batch = dirty;
        for (int i = 0, n = batch.size(); i < n; i++) {
            batch.get(i).outbound().flush();
        }
        batch.clear();
    }
}
