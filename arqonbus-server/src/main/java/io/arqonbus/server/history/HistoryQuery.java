package io.arqonbus.server.history;

import java.time.Instant;

/**
 * A history read across channels: every given field must match.
 *
 * @param room        the room, or {@code null} for every room
 * @param channel     the channel (needs {@code room}), or {@code null} for every channel of the room
 * @param since       only messages with a timestamp at or after this, or {@code null}
 * @param until       only messages with a timestamp before this (exclusive), or {@code null}
 * @param limit       at most this many, the newest ones in the range
 * @param newestFirst order of the result
 */
public record HistoryQuery(String room, String channel, Instant since, Instant until, int limit,
        boolean newestFirst) {
    public HistoryQuery {
        if (limit < 0) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: >= 0)");
        }
        if (channel != null && room == null) {
            throw new IllegalArgumentException("a channel needs a room");
        }
    }
}
