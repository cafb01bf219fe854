package io.arqonbus.server.internal.embed;

import io.arqonbus.server.internal.reply.Replies;
import io.arqonbus.server.subscribe.Subscription;
import io.arqonbus.server.subscribe.SubscriptionFilter;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.session.Session;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The bus's {@link Subscription}: a bounded queue drained serially on a virtual thread. */
public final class HostSubscription implements Subscription {
    private static final Logger log = LoggerFactory.getLogger(HostSubscription.class);
    /** Envelopes one drain hands to the handler before it gives its thread back. */
    private static final int BATCH = 256;

    private final String id;
    private final SubscriptionFilter filter;
    private final Consumer<Envelope> handler;
    private final Executor executor;
    private final int capacity;
    private final boolean includeServer;
    private final Queue<Envelope> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Runnable detach = () -> { };

    HostSubscription(String id, SubscriptionFilter filter, Consumer<Envelope> handler, Executor executor, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity: " + capacity + " (expected: >= 1)");
        }
        this.id = id;
        this.filter = filter;
        this.handler = handler;
        this.executor = executor;
        this.capacity = capacity;
        this.includeServer = Replies.SERVER_SENDER.equals(filter.sender());
    }

    /** Set once by {@link HostSubscriptions} after the hub accepted the listener. */
    void detachWith(Runnable value) {
        detach = value;
    }

    /**
     * The hub's listener: queues a matching publication. Publications of the host itself
     * ({@code ArqonBus.publish}, sender {@code arqonbus}) are left out unless the filter names that
     * sender. Never blocks.
     */
    void offer(Envelope delivered, Session sender) {
        if (closed.get() || !filter.matches(delivered)) {
            return;
        }
        if (sender == null && !includeServer && Replies.SERVER_SENDER.equals(delivered.sender())) {
            return;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            if (dropped.getAndIncrement() == 0) {
                log.atWarn()
                        .addKeyValue("event", "subscriber_overflow")
                        .addKeyValue("subscription", id)
                        .addKeyValue("capacity", capacity)
                        .addKeyValue("msg", "The handler is slower than the publications it subscribed "
                                + "to; dropping the ones that do not fit (counted, logged once)")
                        .log("subscriber_overflow");
            }
            return;
        }
        queue.add(delivered);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
            }
        }
    }

    private void drain() {
        try {
            for (int i = 0; i < BATCH && !closed.get(); i++) {
                Envelope next = queue.poll();
                if (next == null) {
                    break;
                }
                queued.decrementAndGet();
                try {
                    handler.accept(next);
                    delivered.incrementAndGet();
                } catch (RuntimeException e) {
                    if (failed.getAndIncrement() == 0) {
                        log.atWarn().setCause(e)
                                .addKeyValue("event", "subscriber_failed")
                                .addKeyValue("subscription", id)
                                .addKeyValue("msg", String.valueOf(e))
                                .log("subscriber_failed (further failures at DEBUG)");
                    } else {
                        log.atDebug()
                                .addKeyValue("event", "subscriber_failed")
                                .addKeyValue("subscription", id)
                                .addKeyValue("msg", String.valueOf(e).replace('"', '\''))
                                .log("subscriber_failed");
                    }
                }
            }
        } finally {
            scheduled.set(false);
            if (!closed.get() && !queue.isEmpty()) {
                schedule();
            }
        }
    }

    /** Stops deliveries; envelopes still queued are discarded. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        detach.run();
        queue.clear();
        queued.set(0);
        log.atDebug()
                .addKeyValue("event", "subscription_closed")
                .addKeyValue("subscription", id)
                .addKeyValue("delivered", delivered.get())
                .addKeyValue("dropped", dropped.get())
                .addKeyValue("failed", failed.get())
                .log("subscription_closed");
    }

    /** This subscription's id (for logs), e.g. {@code embed-1}. */
    @Override
    public String id() { return id; }
    /** Its filter. */
    @Override
    public SubscriptionFilter filter() { return filter; }
    /** How many envelopes its queue holds at most. */
    @Override
    public int capacity() { return capacity; }
    /** Envelopes the handler took without throwing. */
    @Override
    public long delivered() { return delivered.get(); }
    /** Envelopes dropped because the queue was full. */
    @Override
    public long dropped() { return dropped.get(); }
    /** Handler calls that threw. */
    @Override
    public long failed() { return failed.get(); }
    /** Envelopes waiting for the handler. */
    @Override
    public int pending() { return queued.get(); }
    /** Whether {@link #close()} was called (or the bus stopped). */
    @Override
    public boolean isClosed() { return closed.get(); }

    @Override
    public String toString() {
        return "Subscription[" + id + ", " + filter + "]";
    }
}
