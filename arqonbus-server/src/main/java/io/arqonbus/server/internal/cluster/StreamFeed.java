package io.arqonbus.server.internal.cluster;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.history.StoredMessage;
import io.arqonbus.server.internal.hub.BrokerEventHandler;
import io.arqonbus.server.internal.hub.FrameEncoder;
import io.arqonbus.server.internal.hub.SequencedPublication;
import io.arqonbus.server.internal.session.Session;
import io.netty.buffer.ByteBuf;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscribed stream on this node: hands its publications to the stream's handler once each,
 * in offset order. A publication past the next offset (a message the publish/subscribe channel
 * lost, a resubscribe after a Redis blip, a head read that is ahead) holds back every later one
 * while the missing ones are read from the stream; what the stream no longer holds is logged and
 * counted ({@code event=cluster_gap_lost}), never skipped silently. Guarded by its own monitor;
 * the handler is called while it is held, so one stream's publications reach it one at a time.
 */
final class StreamFeed {
    private static final Logger log = LoggerFactory.getLogger(StreamFeed.class);
    /** The most publications one gap fill reads; a larger gap is filled in several reads. */
    static final int MAX_FILL = 10_000;

    /** Reads a stream's entries after an offset, at most a count of them. */
    interface GapReader {
        CompletableFuture<List<StoredMessage>> read(ChannelKey key, long afterOffset, int limit);
    }

    private final ChannelKey key;
    private final OwnPublications own;
    private final BrokerEventHandler handler;
    private final GapReader reader;
    private final FrameEncoder encoder;
    private final EnvelopeCodec codec;
    private final ClusterMetrics metrics;
    private final ArrayDeque<Incoming> waiting = new ArrayDeque<>();
    private String epoch;
    /** The last offset delivered, or -1 before the first delivery or head. */
    private long last = -1;
    private boolean filling;
    /** The end of a gap whose read failed (Redis unreachable), to read again; 0 when none. */
    private long retryUpTo;
    private boolean closed;
    private boolean subscribed;
    /** What this node sends to the stream before its subscription is confirmed, in order. */
    private final ArrayDeque<Runnable> sendsWaiting = new ArrayDeque<>();

    StreamFeed(ChannelKey key, BrokerEventHandler handler, GapReader reader, FrameEncoder encoder,
            EnvelopeCodec codec, ClusterMetrics metrics) {
        this(key, handler, reader, encoder, codec, metrics, null);
    }

    /** @param own this node's publications not come back yet, claimed when read from the stream; {@code null}: none */
    StreamFeed(ChannelKey key, BrokerEventHandler handler, GapReader reader, FrameEncoder encoder,
            EnvelopeCodec codec, ClusterMetrics metrics, OwnPublications own) {
        this.own = own;
        this.key = key;
        this.handler = handler;
        this.reader = reader;
        this.encoder = encoder;
        this.codec = codec;
        this.metrics = metrics;
    }

    ChannelKey key() {
        return key;
    }

    /**
     * The stream's head as Redis holds it: the starting point before any delivery, or, when it is
     * ahead of what was delivered (the publish/subscribe message was lost), a gap to fill.
     */
    synchronized void head(StreamPosition head) {
        if (closed) {
            return;
        }
        if (!filling && retryUpTo > 0) {
            fill(retryUpTo);
            return;
        }
        if (head.offset() <= 0) {
            if (last < 0) {
                // A stream new to the cluster: everything from offset 1 on is to come.
                last = 0;
                handler.head(key, head);
            }
            return;
        }
        if (last >= 0 && epoch == null) {
            epoch = head.epoch();
        }
        if (last < 0) {
            epoch = head.epoch();
            last = head.offset();
            handler.head(key, head);
        } else if (!filling && head.epoch().equals(epoch) && head.offset() > last) {
            fill(head.offset());
        } else if (!filling && waiting.isEmpty() && !head.epoch().equals(epoch)) {
            // The stream started again in a new epoch (Redis lost it) and none of it reached this node yet.
            epoch = head.epoch();
            last = 0;
            fill(head.offset());
        }
    }

    /** A publication from the nodes' channel. */
    synchronized void offer(Incoming incoming) {
        if (closed) {
            return;
        }
        if (incoming.offset() == 0) {
            // Delivered here only, without a position, while Redis is unreachable: not held behind a gap.
            deliver(incoming);
            return;
        }
        if (filling || retryUpTo > 0) {
            waiting.addLast(incoming);
            if (!filling) {
                fill(retryUpTo);
            }
            return;
        }
        accept(incoming);
    }

    private void accept(Incoming incoming) {
        if (incoming.offset() == 0) {
            deliver(incoming);
            return;
        }
        if (last >= 0 && epoch == null) {
            epoch = incoming.epoch();
        }
        if (last < 0) {
            epoch = incoming.epoch();
            deliver(incoming);
            return;
        }
        if (!incoming.epoch().equals(epoch)) {
            // The stream started again in a new epoch (Redis lost it): its offsets start again from 1.
            epoch = incoming.epoch();
            last = 0;
        }
        if (incoming.offset() <= last) {
            metrics.duplicateDropped();
        } else if (incoming.offset() == last + 1) {
            deliver(incoming);
        } else {
            waiting.addLast(incoming);
            fill(incoming.offset() - 1);
        }
    }

    /** Reads the offsets after {@code last} up to {@code upTo} from the stream, holding back later ones meanwhile. */
    private void fill(long upTo) {
        filling = true;
        retryUpTo = 0;
        long after = last;
        int count = (int) Math.min(MAX_FILL, upTo - after);
        CompletableFuture<List<StoredMessage>> read;
        try {
            read = reader.read(key, after, count);
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        read.whenComplete((found, error) -> filled(after, after + count, found, error));
    }

    private synchronized void filled(long after, long upTo, List<StoredMessage> found, Throwable error) {
        if (closed) {
            return;
        }
        long expected = after + 1;
        if (error != null) {
            // Redis unreachable: nothing is skipped; the gap is read again at the next head sweep or publication.
            filling = false;
            retryUpTo = upTo;
            log.atDebug()
                    .addKeyValue("event", "cluster_gap_fill_retry")
                    .addKeyValue("stream", key)
                    .addKeyValue("from", after + 1)
                    .addKeyValue("to", upTo)
                    .addKeyValue("msg", error.getMessage())
                    .log("cluster_gap_fill_retry");
            return;
        }
        for (StoredMessage message : found) {
            if (message.offset() == expected && message.offset() <= upTo) {
                deliver(new Incoming(message.offset(), epoch, message.json(), null, false), true);
                metrics.gapFilled();
                expected++;
            }
        }
        if (last < upTo) {
            long lost = upTo - last;
            metrics.gapLost(lost);
            log.atWarn()
                    .addKeyValue("event", "cluster_gap_lost")
                    .addKeyValue("code", "STORAGE_UNAVAILABLE")
                    .addKeyValue("stream", key)
                    .addKeyValue("from", last + 1)
                    .addKeyValue("to", upTo)
                    .addKeyValue("msg", error == null ? "the stream no longer holds these publications"
                            : "could not read the stream: " + error.getMessage())
                    .log("cluster_gap_lost");
            last = upTo;
        }
        filling = false;
        while (!filling && !waiting.isEmpty()) {
            accept(waiting.pollFirst());
        }
    }

    private void deliver(Incoming incoming) {
        deliver(incoming, false);
    }

    /** @param filled read from the stream to fill a gap: this node's own publication is claimed from {@link #own} */
    private void deliver(Incoming incoming, boolean filled) {
        if (incoming.offset() > 0) {
            last = incoming.offset();
        }
        Envelope envelope;
        try {
            envelope = StoredMessage.of(incoming.json(), incoming.offset(), Instant.EPOCH, codec).envelope();
        } catch (RuntimeException e) {
            // Not an envelope (nothing this bus's nodes publish): skipped, said, never fatal to the feed.
            log.atWarn()
                    .addKeyValue("event", "cluster_undecodable")
                    .addKeyValue("code", "INVALID_JSON")
                    .addKeyValue("stream", key)
                    .addKeyValue("offset", incoming.offset())
                    .addKeyValue("msg", "a publication on the cluster channel is not an envelope; skipped")
                    .log("cluster_undecodable");
            return;
        }
        // Encoded after the decode, so that a refused publication leaves no frame behind.
        Session sender = incoming.sender();
        boolean here = incoming.here();
        if (own != null) {
            if (here) {
                own.forget(envelope.id());
            } else if (filled) {
                // A publication of this node whose own message was lost: still this node's, once.
                OwnPublications.Claim claim = own.claim(envelope.id());
                here = claim.here();
                sender = claim.sender();
            }
        }
        ByteBuf frame = encoder.encode(incoming.json());
        StreamPosition position = new StreamPosition(incoming.offset(), epoch == null ? "" : epoch);
        metrics.received();
        handler.handlePublication(key, position, new SequencedPublication(envelope, frame, sender, here));
    }

    /**
     * Runs {@code send} (which hands a command to Redis without blocking) once this node's
     * subscription to the stream is confirmed, in the order given, so that this node receives
     * what it sends from the moment it subscribed.
     */
    synchronized void afterSubscribed(Runnable send) {
        if (subscribed || closed) {
            send.run();
        } else {
            sendsWaiting.addLast(send);
        }
    }

    /** The subscription is confirmed (or failed: then sends go on, and the head sweep fills gaps). */
    synchronized void subscribed() {
        subscribed = true;
        while (!sendsWaiting.isEmpty()) {
            sendsWaiting.pollFirst().run();
        }
    }

    /** Whether this node's subscription to the stream is confirmed. */
    synchronized boolean isSubscribed() {
        return subscribed;
    }

    /** Delivers nothing from now on. */
    synchronized void close() {
        closed = true;
        waiting.clear();
        while (!sendsWaiting.isEmpty()) {
            sendsWaiting.pollFirst().run();
        }
    }
}
