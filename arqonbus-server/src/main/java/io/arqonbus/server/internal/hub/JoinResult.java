package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.StreamPosition;

/**
 * The outcome of a join.
 *
 * @param channel    the channel joined
 * @param created    whether the join created the channel
 * @param joined     whether the session was not a member before
 * @param position   the channel's position when the session joined (the latest publication it
 *                   will not receive live), or {@code null} when only created
 * @param recovering whether a recovery started: the session's live frames of this channel are held
 *                   back until it ends
 */
public record JoinResult(BusChannel channel, boolean created, boolean joined, StreamPosition position,
        boolean recovering) {
}
