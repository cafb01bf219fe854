package io.arqonbus.client;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.StreamPosition;

/**
 * A membership of one channel ({@code room:channel}) that survives reconnects: after each
 * reconnect the SDK rejoins with the last position it received and the server sends exactly what
 * was missed ({@link SubscribedEvent#recovered()}), or says it cannot
 * ({@link SubscriptionListener#onRecoveryFailed(RecoveryFailure)}). Publications wait for the
 * listener in a bounded buffer ({@link SubscriptionOptions}).
 */
public final class Subscription {
    /** Where a subscription is. */
    public enum State {
        /** Waiting for the join's reply (also while the client reconnects). */
        SUBSCRIBING,
        /** Joined; publications flow. */
        SUBSCRIBED,
        /** Ended by {@link #unsubscribe()}, a refused join or the client's close. */
        UNSUBSCRIBED
    }

    private final ArqonBusClient client;
    private final String room;
    private final String channel;
    private final Mailbox mailbox;
    private State state = State.SUBSCRIBING;
    private StreamPosition lastPosition;
    private boolean joinedOnce;

    Subscription(ArqonBusClient client, String room, String channel, SubscriptionOptions options,
            SubscriptionListener listener) {
        this.client = client;
        this.room = room;
        this.channel = channel;
        this.lastPosition = options.since();
        this.mailbox = new Mailbox(options.bufferCapacity(), options.overflow(), listener, client::listenerFailed);
    }

    public String room() {
        return room;
    }

    public String channel() {
        return channel;
    }

    /** The current state. */
    public synchronized State state() {
        return state;
    }

    /** The last position received (what a rejoin recovers from), or {@code null} before the first join. */
    public synchronized StreamPosition lastPosition() {
        return lastPosition;
    }

    /** Publications waiting for the listener now (at most the buffer capacity). */
    public int buffered() {
        return mailbox.size();
    }

    /** Publications dropped because the buffer was full. */
    public long dropped() {
        return mailbox.droppedTotal();
    }

    /** Leaves the channel (when connected) and ends this subscription; idempotent. */
    public void unsubscribe() {
        client.unsubscribe(this);
    }

    String key() {
        return room + ":" + channel;
    }

    synchronized boolean markUnsubscribed() {
        if (state == State.UNSUBSCRIBED) {
            return false;
        }
        state = State.UNSUBSCRIBED;
        return true;
    }

    synchronized void markSubscribing() {
        if (state != State.UNSUBSCRIBED) {
            state = State.SUBSCRIBING;
        }
    }

    /** The position a join should recover from, or {@code null}. */
    synchronized StreamPosition recoverFrom() {
        return lastPosition;
    }

    /** Applies a successful join's reply and tells the listener. */
    void joined(StreamPosition channelPosition, boolean recoveryAsked, boolean recovered, long missed) {
        StreamPosition lastSeen;
        boolean resubscribe;
        synchronized (this) {
            if (state == State.UNSUBSCRIBED) {
                return;
            }
            state = State.SUBSCRIBED;
            lastSeen = lastPosition;
            resubscribe = joinedOnce;
            joinedOnce = true;
            if (!recoveryAsked || !recovered) {
                lastPosition = channelPosition;
            }
        }
        SubscribedEvent event = new SubscribedEvent(channelPosition, recoveryAsked, recovered, missed, resubscribe);
        mailbox.offerEvent(l -> l.onSubscribed(event));
        if (recoveryAsked && !recovered) {
            RecoveryFailure failure = new RecoveryFailure(lastSeen, channelPosition, missed);
            mailbox.offerEvent(l -> l.onRecoveryFailed(failure));
        }
    }

    /** A refused join: the subscription ends. */
    void refused(ArqonBusException error) {
        if (markUnsubscribed()) {
            mailbox.offerEvent(l -> l.onError(error));
        }
    }

    /**
     * A publication of this channel from the socket reader. One of this client's own (sent by
     * any of its connections, which a recovery replays) moves the position but is not delivered,
     * as the server never sends a publisher its own publication live.
     */
    void deliver(Envelope message, boolean own) {
        StreamPosition position = message.position();
        synchronized (this) {
            if (state == State.UNSUBSCRIBED) {
                return;
            }
            if (position != null) {
                if (lastPosition != null && lastPosition.epoch().equals(position.epoch())
                        && position.offset() <= lastPosition.offset()) {
                    return; // already received (a recovery overlapping what arrived live)
                }
                lastPosition = position;
            }
        }
        if (!own) {
            mailbox.offerMessage(message);
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + key() + ", " + state() + ", " + lastPosition() + "]";
    }
}
