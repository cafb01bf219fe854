package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.channel.ChannelKey;

/**
 * Where a sequenced publication leaves this node and where publications enter local fan-out: the
 * one seam between the hub and other nodes.
 *
 * <p>The hub {@linkplain #publish publishes} each channel publication once its stream position is
 * given and its append completed, in offset order for one stream, and each room broadcast once it
 * is encoded. The broker delivers every publication of a stream this node is {@linkplain #subscribe
 * subscribed} to, its own included, once to that stream's {@link BrokerEventHandler}, in the order
 * published for that stream; the handler fans it out to the local members. Offsets and epoch
 * travel with the publication, so a node that receives it keeps the stream's positions.
 *
 * <p>{@link InProcessBroker} (one node) calls the handler directly, on the publishing thread, while
 * the stream's order is held by its caller. A broker that crosses nodes may call it on a thread of
 * its own; it must then keep one stream's publications in order on one thread at a time.
 *
 * <p>A broker shared by several nodes {@linkplain #sequences sequences} publications itself: the
 * hub then hands it each channel publication and room broadcast unpositioned ({@link #sequence}),
 * and the broker gives it its offset in the shared stream, stores it and sends it to every node in
 * one step; each node, the publishing one included, receives it back through its handler. A
 * {@link BrokerEventHandler} may also be told a stream's {@linkplain BrokerEventHandler#head head}
 * when the broker learns it.
 */
public interface Broker extends AutoCloseable {

    /**
     * Delivers the stream's publications (a channel, or a room-wide stream) to {@code handler} from
     * now on, in place of any handler it had.
     */
    void subscribe(ChannelKey stream, BrokerEventHandler handler);

    /** Stops delivering the stream's publications. */
    void unsubscribe(ChannelKey stream);

    /**
     * Sends a publication to every node subscribed to the stream, this one included; takes
     * ownership of {@code publication}'s frame. After {@link #close} it releases the frame and
     * delivers nothing.
     *
     * @param position the publication's place in the stream (for a channel publication, the one its
     *                 envelope carries)
     */
    void publish(ChannelKey stream, StreamPosition position, SequencedPublication publication);

    /**
     * Whether this broker gives publications their positions ({@link #sequence}) rather than
     * taking them sequenced from the hub ({@link #publish}): {@code false} for a single node.
     */
    default boolean sequences() {
        return false;
    }

    /**
     * Sequences a publication in the stream shared by every node: stores it and sends it to every
     * node subscribed to the stream, this one included, in one step; a repeated idempotency key
     * answers the first publication's position. Fails with
     * {@link io.arqonbus.server.internal.history.StoreUnavailableException} when the shared store
     * cannot be reached; then a publication that need not be stored is delivered to this node's
     * members only, without a position.
     */
    default java.util.concurrent.CompletableFuture<SequencingOutcome> sequence(ChannelKey stream,
            UnpositionedPublication publication) {
        return java.util.concurrent.CompletableFuture.failedFuture(
                new UnsupportedOperationException("this broker takes publications sequenced by the hub"));
    }

    /** Stops deliveries and subscriptions and releases what the broker holds; idempotent. */
    @Override
    void close();
}
