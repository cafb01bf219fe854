package io.arqonbus.server.internal.hub;

import io.arqonbus.server.internal.channel.ChannelKey;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * In a cluster, which streams this node subscribes to at the {@link Broker}: a channel's stream
 * while the channel has local members (or a join waits for it), a room-wide stream while any
 * channel of the room has. A stream is subscribed when the first interest comes ({@link #want})
 * and unsubscribed {@link #LINGER} after the last one ended ({@link #lost}), so join/leave churn
 * does not cost a SUBSCRIBE/UNSUBSCRIBE pair each; a publication this node accepts counts as
 * interest too ({@link #touch}), without subscribing. Each stream's state is guarded by its own
 * monitor; the linger check runs on {@code scheduler}.
 */
final class StreamInterest {
    /** How long a stream stays subscribed after its last local interest ended: {@code 10 s}. */
    static final Duration LINGER = Duration.ofSeconds(10);

    private final Broker broker;
    private final ScheduledExecutorService scheduler;
    private final long lingerNanos;
    private final ConcurrentHashMap<ChannelKey, Stream> streams = new ConcurrentHashMap<>();

    StreamInterest(Broker broker, ScheduledExecutorService scheduler, Duration linger) {
        this.broker = broker;
        this.scheduler = scheduler;
        this.lingerNanos = linger.toNanos();
    }

    /**
     * Makes the stream known, unsubscribed: {@code inUse} says whether it has local interest now,
     * {@code beforeSubscribe} runs before each subscription (under the stream's monitor).
     */
    void register(ChannelKey key, BrokerEventHandler handler, BooleanSupplier inUse, Runnable beforeSubscribe) {
        streams.put(key, new Stream(key, handler, inUse, beforeSubscribe));
    }

    /** Subscribes the stream when it is not (yet or any more); the linger counts from now. */
    void want(ChannelKey key) {
        Stream stream = streams.get(key);
        if (stream != null) {
            stream.want();
        }
    }

    /** Counts as interest now without subscribing (a publication this node accepts). */
    void touch(ChannelKey key) {
        Stream stream = streams.get(key);
        if (stream != null) {
            stream.touch();
        }
    }

    /** An interest ended (a last local member left): unsubscribed after the linger unless one comes back. */
    void lost(ChannelKey key) {
        Stream stream = streams.get(key);
        if (stream != null) {
            stream.lost();
        }
    }

    /** Forgets the stream (its channel is deleted) and unsubscribes it at once. */
    void remove(ChannelKey key) {
        Stream stream = streams.remove(key);
        if (stream != null) {
            stream.remove();
        }
    }

    private final class Stream {
        private final ChannelKey key;
        private final BrokerEventHandler handler;
        private final BooleanSupplier inUse;
        private final Runnable beforeSubscribe;
        private boolean subscribed;
        private boolean removed;
        private boolean checkScheduled;
        private long lastWanted = System.nanoTime();

        Stream(ChannelKey key, BrokerEventHandler handler, BooleanSupplier inUse, Runnable beforeSubscribe) {
            this.key = key;
            this.handler = handler;
            this.inUse = inUse;
            this.beforeSubscribe = beforeSubscribe;
        }

        synchronized void want() {
            lastWanted = System.nanoTime();
            if (!subscribed && !removed) {
                subscribed = true;
                beforeSubscribe.run();
                broker.subscribe(key, handler);
            }
        }

        synchronized void touch() {
            lastWanted = System.nanoTime();
        }

        synchronized void lost() {
            lastWanted = System.nanoTime();
            schedule(lingerNanos);
        }

        synchronized void remove() {
            removed = true;
            if (subscribed) {
                subscribed = false;
                broker.unsubscribe(key);
            }
        }

        private void schedule(long delayNanos) {
            if (!checkScheduled && subscribed && !removed) {
                checkScheduled = true;
                try {
                    scheduler.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    checkScheduled = false; // shutting down: the broker closes every subscription
                }
            }
        }

        private synchronized void check() {
            checkScheduled = false;
            if (!subscribed || removed || inUse.getAsBoolean()) {
                return; // in use: the last interest to end schedules the next check
            }
            long due = lastWanted + lingerNanos - System.nanoTime();
            if (due > 0) {
                schedule(due);
                return;
            }
            subscribed = false;
            broker.unsubscribe(key);
        }
    }
}
