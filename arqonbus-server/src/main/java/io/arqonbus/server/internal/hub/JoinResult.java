package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.channel.ChannelKey;
import java.time.Instant;
import java.util.Set;

/**
 * The outcome of a join (or of a create), with what the reply tells of the channel at that moment.
 *
 * @param key         the channel
 * @param createdAt   when the channel was made
 * @param admitted    the client ids and token subjects a private channel admits, sorted; empty for a
 *                    public channel
 * @param memberCount how many members the channel had right after the join
 * @param created     whether the call created the channel
 * @param joined      whether the session was not a member before
 * @param position    the channel's position when the session joined (the latest publication it
 *                    will not receive live), or {@code null} when only created
 * @param recovering  whether a recovery started: the session's live frames of this channel are held
 *                    back until it ends
 */
public record JoinResult(ChannelKey key, Instant createdAt, Set<String> admitted, int memberCount, boolean created,
        boolean joined, StreamPosition position, boolean recovering) {
}
