package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.history.HistoryStore;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.tracing.BusTracing;
import io.netty.buffer.ByteBuf;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every channel and room of one hub shares to sequence its publications: the store they
 * append to, the encoder, the broker they release to, the clock, the counters and the bounds of
 * the idempotency window. One instance per hub; each channel holds a reference.
 *
 * @param publications publications accepted since start (channel and room)
 * @param tracing      spans of the steps of traced publications
 * @param unheard      told of a publication this node accepted that its broker does not deliver
 *                     back here (a cluster node not subscribed to the stream)
 */
record ChannelSupport(HistoryStore history, FrameEncoder encoder, Broker broker, BusMetrics metrics, Clock clock,
        Duration dedupWindow, int dedupMaxKeys, AtomicLong publications, BusTracing tracing,
        PublicationListener unheard) {

    /** A new, empty idempotency window of this hub's bounds. */
    IdempotencyWindow newIdempotencyWindow() {
        return new IdempotencyWindow(dedupWindow, dedupMaxKeys);
    }

    /**
     * Appends the JSON part of {@code frame} to the stream; a store that throws gives a failed
     * future. Times the append ({@code arqonbus_store_append_duration_seconds}).
     */
    CompletableFuture<Void> append(ChannelKey key, StreamPosition position, ByteBuf frame, Instant now) {
        long started = System.nanoTime();
        CompletableFuture<Void> appended;
        try {
            appended = history.append(key, position, FrameEncoder.jsonOf(frame), now);
        } catch (RuntimeException e) {
            appended = CompletableFuture.failedFuture(e);
        }
        if (appended.isDone()) {
            metrics.storeAppended(System.nanoTime() - started);
        } else {
            appended.whenComplete((v, e) -> metrics.storeAppended(System.nanoTime() - started));
        }
        return appended;
    }
}
