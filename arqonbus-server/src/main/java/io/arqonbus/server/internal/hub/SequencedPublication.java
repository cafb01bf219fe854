package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.internal.session.Session;
import io.netty.buffer.ByteBuf;

/**
 * A publication that has its place in its stream, as it passes through the {@link Broker}: the
 * envelope as members receive it, its frame encoded once, and the local connection that sent it.
 *
 * <p>For a channel publication the envelope carries its stream position ({@code metadata.offset},
 * {@code metadata.epoch}); the position of a room broadcast in its room-wide stream travels beside
 * it (see {@link Broker#publish}). A broker that carries publications to other nodes sends the JSON
 * part of the frame ({@link FrameEncoder#jsonOf}) and the position; what it hands to the local
 * {@link BrokerEventHandler} for a publication from another node has a frame it encoded again
 * ({@link FrameEncoder#encode(byte[])}) and no {@code sender}.
 *
 * @param envelope the envelope as delivered (sender and, for a channel publication, position stamped)
 * @param frame    the encoded frame; whoever holds the publication owns one reference to it
 * @param sender   the local connection that published it, which does not receive it back;
 *                 {@code null} for the server, the host application or another node
 * @param here     whether this node accepted it (always on a single node); {@code false} for a
 *                 publication another node of a cluster accepted
 */
public record SequencedPublication(Envelope envelope, ByteBuf frame, Session sender, boolean here) {
    /** A publication this node accepted. */
    public SequencedPublication(Envelope envelope, ByteBuf frame, Session sender) {
        this(envelope, frame, sender, true);
    }
}
