package io.arqonbus.client;

import io.arqonbus.protocol.Envelope;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * One subscription's bounded buffer between the socket reader and the listener. The reader never
 * waits: {@link #offerMessage} applies the {@link OverflowPolicy} when {@code capacity}
 * publications are waiting. The listener runs on a virtual thread started when work arrives and
 * ending when the buffer is empty, one call at a time, in order. Control events (a join's
 * outcome, at most one per join) do not count towards the bound.
 */
final class Mailbox {
    private final int capacity;
    private final OverflowPolicy policy;
    private final SubscriptionListener listener;
    private final Consumer<Throwable> onListenerError;
    private final ArrayDeque<Object> items = new ArrayDeque<>();
    private int messages;
    private boolean draining;
    private long droppedTotal;
    private Envelope firstDropped;
    private Envelope lastDropped;
    private long droppedInRun;

    Mailbox(int capacity, OverflowPolicy policy, SubscriptionListener listener, Consumer<Throwable> onListenerError) {
        this.capacity = capacity;
        this.policy = policy;
        this.listener = listener;
        this.onListenerError = onListenerError;
    }

    /** Buffers a publication, dropping one per the policy when full. */
    void offerMessage(Envelope message) {
        synchronized (this) {
            if (messages >= capacity) {
                Envelope dropped = message;
                if (policy == OverflowPolicy.DROP_OLDEST) {
                    dropped = removeOldestMessage();
                    items.addLast(message);
                }
                droppedTotal++;
                droppedInRun++;
                if (firstDropped == null) {
                    firstDropped = dropped;
                }
                lastDropped = dropped;
            } else {
                items.addLast(message);
                messages++;
            }
            startIfIdle();
        }
    }

    /** Queues a call to the listener that is not a publication. */
    void offerEvent(Consumer<SubscriptionListener> event) {
        synchronized (this) {
            items.addLast(event);
            startIfIdle();
        }
    }

    /** Publications waiting for the listener. */
    synchronized int size() {
        return messages;
    }

    /** Publications dropped so far. */
    synchronized long droppedTotal() {
        return droppedTotal;
    }

    private Envelope removeOldestMessage() {
        for (var it = items.iterator(); it.hasNext(); ) {
            Object item = it.next();
            if (item instanceof Envelope envelope) {
                it.remove();
                return envelope;
            }
        }
        throw new IllegalStateException("no message to drop");
    }

    private void startIfIdle() {
        if (!draining) {
            draining = true;
            Thread.ofVirtual().name("arqonbus-subscription").start(this::drain);
        }
    }

    @SuppressWarnings("unchecked")
    private void drain() {
        while (true) {
            Object item;
            OverflowEvent overflow = null;
            synchronized (this) {
                if (droppedInRun > 0) {
                    overflow = new OverflowEvent(firstDropped, lastDropped, droppedInRun, droppedTotal);
                    firstDropped = null;
                    lastDropped = null;
                    droppedInRun = 0;
                }
                item = overflow == null ? items.pollFirst() : null;
                if (overflow == null && item == null) {
                    draining = false;
                    return;
                }
                if (item instanceof Envelope) {
                    messages--;
                }
            }
            try {
                if (overflow != null) {
                    listener.onOverflow(overflow);
                } else if (item instanceof Envelope message) {
                    listener.onMessage(message);
                } else {
                    ((Consumer<SubscriptionListener>) item).accept(listener);
                }
            } catch (RuntimeException | Error e) {
                onListenerError.accept(e);
            }
        }
    }
}
