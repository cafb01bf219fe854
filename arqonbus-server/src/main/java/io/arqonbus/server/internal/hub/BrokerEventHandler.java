package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.channel.ChannelKey;

/**
 * Receives the publications a {@link Broker} delivers to this node for one subscribed stream: the
 * entry to local fan-out.
 */
@FunctionalInterface
public interface BrokerEventHandler {

    /**
     * A publication of the stream, once, in the stream's order; takes ownership of its frame. Must
     * not block: it hands the frame to the event loops and returns.
     */
    void handlePublication(ChannelKey stream, StreamPosition position, SequencedPublication publication);

    /**
     * The stream's head as the shared store holds it, told by a broker that sequences publications
     * once it subscribed the stream (offset 0 and no epoch for a stream the store does not hold
     * yet) and again whenever it reads the head later. Does nothing by default.
     */
    default void head(ChannelKey stream, StreamPosition head) {
    }
}
