package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.internal.session.Session;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * A channel publication encoded and handed to the store, waiting to be released to members.
 *
 * @param envelope  the envelope as delivered, its position stamped
 * @param frame     the encoded frame (owned until released or dropped)
 * @param stored    completes when the store confirmed (or failed) the append
 * @param mustStore {@code true} when it is delivered only if the store confirmed it (a durable ack
 *                  was asked for)
 * @param exclude   the sender, who does not receive its own publication
 * @param received  {@link System#nanoTime()} when the channel received it (for the fan-out latency)
 */
record PendingPublication(Envelope envelope, ByteBuf frame, CompletableFuture<Void> stored, boolean mustStore,
        Session exclude, long received) {
}
