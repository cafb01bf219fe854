package io.arqonbus.client;

import io.arqonbus.protocol.Envelope;
import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * A channel subscription as a {@link Flow.Publisher} ({@link ArqonBusClient#publisher}), for
 * reactive libraries. One subscriber; its {@code request(n)} is the only thing that lets
 * publications through: while the demand is zero, the subscription's listener thread waits and
 * what arrives meanwhile stays in the subscription's bounded buffer
 * ({@link SubscriptionOptions#bufferCapacity}), where the {@link OverflowPolicy} drops once it is
 * full — the socket is never held up. So at most {@code bufferCapacity + 1} publications wait for
 * demand. {@code cancel()} leaves the channel. A refused join ends the stream with
 * {@code onError}, and so does subscribing through a closed client ({@code closed}); after the
 * client closes later, no more {@code onNext} arrive (the stream does not complete: cancel it).
 * {@code onNext} runs on the subscription's virtual thread, one call at a time.
 */
public final class SubscriptionPublisher implements Flow.Publisher<Envelope> {
    private final ArqonBusClient client;
    private final String room;
    private final String channel;
    private final SubscriptionOptions options;
    private Bridge bridge;

    SubscriptionPublisher(ArqonBusClient client, String room, String channel, SubscriptionOptions options) {
        this.client = client;
        this.room = room;
        this.channel = channel;
        this.options = options;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Envelope> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        Bridge taken;
        synchronized (this) {
            taken = bridge;
            if (taken == null) {
                bridge = new Bridge(subscriber);
            }
        }
        if (taken != null) {
            subscriber.onSubscribe(new Bridge(subscriber));
            subscriber.onError(new IllegalStateException("this publisher of " + room + ":" + channel
                    + " already has its one subscriber"));
            return;
        }
        subscriber.onSubscribe(bridge);
        bridge.start();
    }

    /** The underlying subscription (its {@code buffered()} and {@code dropped()}), or {@code null} before a subscriber came. */
    public synchronized Subscription subscription() {
        return bridge == null ? null : bridge.subscription;
    }

    private final class Bridge implements Flow.Subscription, SubscriptionListener {
        private final Flow.Subscriber<? super Envelope> subscriber;
        private long demand;
        private boolean done;
        private Subscription subscription;

        Bridge(Flow.Subscriber<? super Envelope> subscriber) {
            this.subscriber = subscriber;
        }

        void start() {
            Subscription joined;
            try {
                joined = client.subscribe(room, channel, options, this);
            } catch (IllegalStateException e) {
                fail(new ArqonBusException(ArqonBusException.CLOSED, e.getMessage()));
                return;
            }
            boolean cancelled;
            synchronized (SubscriptionPublisher.this) {
                synchronized (this) {
                    subscription = joined;
                    cancelled = done;
                }
            }
            if (cancelled) {
                joined.unsubscribe();
            }
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                if (end()) {
                    subscriber.onError(new IllegalArgumentException("request(" + n + "): the demand must be positive (§3.9)"));
                }
                return;
            }
            synchronized (this) {
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                notifyAll();
            }
        }

        @Override
        public void cancel() {
            end();
        }

        /** Ends the stream and leaves the channel; {@code false} when it had ended already. */
        private boolean end() {
            Subscription joined;
            synchronized (this) {
                if (done) {
                    return false;
                }
                done = true;
                joined = subscription;
                notifyAll();
            }
            if (joined != null) {
                joined.unsubscribe();
            }
            return true;
        }

        @Override
        public void onMessage(Envelope message) {
            synchronized (this) {
                while (demand == 0 && !done) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (done) {
                    return;
                }
                if (demand != Long.MAX_VALUE) {
                    demand--;
                }
            }
            subscriber.onNext(message);
        }

        @Override
        public void onError(ArqonBusException error) {
            fail(error);
        }

        void fail(Throwable error) {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
                notifyAll();
            }
            subscriber.onError(error);
        }
    }
}
