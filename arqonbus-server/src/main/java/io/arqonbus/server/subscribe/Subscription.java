package io.arqonbus.server.subscribe;

/**
 * An in-process subscription of the host application ({@code ArqonBus.subscribe}): every
 * publication that passes its filter is handed to its handler, off the event loops.
 *
 * <p><b>Threads and order.</b> The hub offers each publication on the thread that released it;
 * the subscription only queues it there. Its handler runs on a virtual thread of the bus, never
 * on an event loop, and never concurrently with itself: calls are serial, in the order the hub
 * delivered the publications (for one channel, offset order). Different subscriptions run
 * independently of each other.
 *
 * <p><b>A slow handler.</b> The queue is bounded ({@code capacity} envelopes). When it is full, new
 * publications for this subscription are dropped — never the bus, never the clients: the drop is
 * counted ({@link #dropped()}) and logged once per subscription ({@code event=subscriber_overflow}).
 * A handler that throws is logged (the first failure at WARN, the rest at DEBUG) and keeps
 * receiving.
 *
 * <p><b>Closing.</b> {@link #close()} stops deliveries at once: envelopes still queued are
 * discarded, a handler call in progress finishes. Idempotent. Stopping the bus closes every
 * subscription.
 */
public interface Subscription extends AutoCloseable {
    /** Stops deliveries at once; envelopes still queued are discarded. Idempotent. */
    @Override
    void close();

    /** The subscription's id, unique within the bus. */
    String id();

    /** What the subscription receives. */
    SubscriptionFilter filter();

    /** How many envelopes may wait for the handler before further ones are dropped. */
    int capacity();

    /** Envelopes handed to the handler so far. */
    long delivered();

    /** Envelopes dropped because the queue was full. */
    long dropped();

    /** Handler calls that threw. */
    long failed();

    /** Envelopes waiting for the handler now. */
    int pending();

    /** Whether {@link #close()} was called (or the bus stopped). */
    boolean isClosed();
}
