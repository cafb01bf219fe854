package io.arqonbus.client;

import io.arqonbus.protocol.Envelope;
import java.util.concurrent.CompletableFuture;

/**
 * A filtered subscription ({@link ArqonBusClient#subscribeFilter}): every publication the
 * {@link Filter} matches and the connection may see. Not a membership: no presence, no join or
 * leave notices, no recovery of what was missed while disconnected. The SDK sends {@code subscribe}
 * again after every reconnect (the server's {@code subscriber_id} changes). Publications reach the
 * listener through a bounded buffer on a thread of their own, as for {@link Subscription}.
 */
public final class FilteredSubscription {
    private final ArqonBusClient client;
    private final Filter filter;
    private final Mailbox mailbox;
    private String subscriberId;
    private boolean active = true;

    FilteredSubscription(ArqonBusClient client, Filter filter, SubscriptionOptions options, SubscriptionListener listener) {
        this.client = client;
        this.filter = filter;
        this.mailbox = new Mailbox(options.bufferCapacity(), options.overflow(), listener, client::listenerFailed);
    }

    public Filter filter() {
        return filter;
    }

    /** The server's id of this subscription on the current connection, or {@code null} while not subscribed. */
    public synchronized String subscriberId() {
        return subscriberId;
    }

    /** Whether it still receives (not unsubscribed, not refused, client not closed). */
    public synchronized boolean isActive() {
        return active;
    }

    /** Ends the subscription ({@code unsubscribe} when connected); completes once the server confirmed or at once when not connected. */
    public CompletableFuture<Void> unsubscribe() {
        String id;
        synchronized (this) {
            if (!active) {
                return CompletableFuture.completedFuture(null);
            }
            active = false;
            id = subscriberId;
            subscriberId = null;
        }
        return client.filterUnsubscribe(this, id);
    }

    synchronized boolean subscribed(String id) {
        subscriberId = id;
        return active;
    }

    synchronized void disconnected() {
        subscriberId = null;
    }

    void deliver(Envelope frame) {
        if (isActive() && filter.matches(frame)) {
            mailbox.offerMessage(frame);
        }
    }

    synchronized void ended() {
        active = false;
        subscriberId = null;
    }

    void refused(ArqonBusException error) {
        synchronized (this) {
            active = false;
        }
        mailbox.offerEvent(l -> l.onError(error));
    }
}
