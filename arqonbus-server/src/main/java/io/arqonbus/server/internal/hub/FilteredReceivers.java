package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.internal.session.Session;
import io.netty.buffer.ByteBuf;

/**
 * Connections that receive publications through filters (protocol §11, filtered subscriptions)
 * besides the channel's members. The hub asks {@link #any()} once per publication — while nobody
 * has a filter that volatile read is the whole cost — and otherwise adds the filter pass to the one
 * delivery task each event loop runs for the publication, after that loop's members were served,
 * so a connection that is a member and has matching filters gets the frame once.
 */
public interface FilteredReceivers {

    /** Whether any connection has a filter now; read on every publication, from any thread. */
    boolean any();

    /** Whether a connection the loop with this index serves has a filter; read from any thread. */
    boolean onLoop(int loopIndex);

    /**
     * Runs on the loop {@code loopIndex} inside a publication's delivery task, after the loop's
     * members of the channel were served and stamped with {@code stamp}: writes a
     * {@linkplain io.arqonbus.server.internal.hub.FrameEncoder#share share} of {@code frame} to each
     * connection of this loop that has a filter matching {@code delivered}, may see it, is not {@code sender} and was not stamped with
     * {@code stamp} yet (stamping it). Does not take ownership of {@code frame}.
     *
     * @param channel the channel of a channel publication, {@code null} for a room broadcast
     * @param sender  the publishing connection, {@code null} for the server or the host application
     * @return how many connections got the frame
     */
    int deliver(int loopIndex, Envelope delivered, ChannelView channel, ByteBuf frame, Session sender, long stamp);
}
