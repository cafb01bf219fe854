package io.arqonbus.server.internal.embed;

import io.arqonbus.server.subscribe.Subscription;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.subscribe.SubscriptionFilter;
import io.arqonbus.server.internal.hub.Hub;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The host application's in-process subscriptions of one running bus: each is a hub
 * {@link io.arqonbus.server.internal.hub.PublicationListener} with its own bounded queue, drained on the
 * bus's virtual threads (see {@link Subscription} for order and overflow).
 */
public final class HostSubscriptions implements AutoCloseable {
    /** Default queue capacity of one subscription: {@value} envelopes. */
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

    private final Hub hub;
    private final int defaultCapacity;
    private final ExecutorService executor =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("arqonbus-subscriber-", 0).factory());
    private final Set<HostSubscription> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();

    /**
     * @param hub             the hub whose publications are offered
     * @param defaultCapacity the queue capacity of a subscription that does not name one
     */
    public HostSubscriptions(Hub hub, int defaultCapacity) {
        if (defaultCapacity < 1) {
            throw new IllegalArgumentException("queue capacity: " + defaultCapacity + " (expected: >= 1)");
        }
        this.hub = hub;
        this.defaultCapacity = defaultCapacity;
    }

    /** Subscribes with the default queue capacity. */
    public Subscription subscribe(SubscriptionFilter filter, Consumer<Envelope> handler) {
        return subscribe(filter, handler, defaultCapacity);
    }

    /** Subscribes; deliveries start with the next publication. */
    public Subscription subscribe(SubscriptionFilter filter, Consumer<Envelope> handler, int capacity) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(handler, "handler");
        if (executor.isShutdown()) {
            throw new IllegalStateException("the bus is stopping");
        }
        HostSubscription subscription = new HostSubscription("embed-" + ids.incrementAndGet(), filter, handler, executor,
                capacity);
        live.add(subscription);
        Runnable removeListener = hub.addListener(subscription::offer);
        subscription.detachWith(() -> {
            removeListener.run();
            live.remove(subscription);
        });
        return subscription;
    }

    /** Live subscriptions. */
    public int count() {
        return live.size();
    }

    /** Closes every subscription and waits briefly for handler calls in progress. Idempotent. */
    @Override
    public void close() {
        for (HostSubscription subscription : List.copyOf(live)) {
            subscription.close();
        }
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
