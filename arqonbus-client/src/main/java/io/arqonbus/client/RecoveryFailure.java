package io.arqonbus.client;

import io.arqonbus.protocol.StreamPosition;

/**
 * A rejoin whose recovery the server refused ({@code recovered: false}): nothing of the gap is
 * sent and live traffic goes on from {@code channelPosition}. Read the gap with {@code history}
 * ({@code since = lastSeen.offset()}) when the epoch is unchanged, or start afresh when it changed
 * (the stream was reset).
 *
 * @param lastSeen        the last position this subscription received
 * @param channelPosition the channel's position at the rejoin
 * @param missed          how many publications the server counted as missed
 */
public record RecoveryFailure(StreamPosition lastSeen, StreamPosition channelPosition, long missed) {
    /** Whether the stream was reset (another epoch): offsets before it mean nothing now. */
    public boolean epochChanged() {
        return !lastSeen.epoch().equals(channelPosition.epoch());
    }
}
