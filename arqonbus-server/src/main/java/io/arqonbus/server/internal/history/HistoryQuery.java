package io.arqonbus.server.internal.history;

import java.time.Instant;

/**
 * A history read across streams: every given field must match. Times are compared with
 * {@link StoredMessage#storedAt()}, the moment the server stored the message, so the result does
 * not depend on timestamps clients wrote into their envelopes.
 *
 * @param room        the room, or {@code null} for every room
 * @param channel     the channel (needs {@code room}), or {@code null} for every stream of the room
 *                    (its channels and its room-wide stream)
 * @param since       only messages stored at or after this, or {@code null}
 * @param until       only messages stored before this (exclusive), or {@code null}
 * @param limit       at most this many
 * @param window      which end of the range the {@code limit} messages are taken from
 * @param newestFirst order of the result
 */
public record HistoryQuery(String room, String channel, Instant since, Instant until, int limit, Window window,
        boolean newestFirst) {

    /** Which messages of a range larger than the limit are returned. */
    public enum Window {
        /** The newest {@code limit} messages of the range (history reads). */
        LATEST,
        /** The oldest {@code limit} messages of the range (replays from a start time). */
        EARLIEST
    }

    public HistoryQuery {
        if (limit < 0) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: >= 0)");
        }
        if (channel != null && room == null) {
            throw new IllegalArgumentException("a channel needs a room");
        }
        java.util.Objects.requireNonNull(window, "window");
    }

    /** Whether a message stored at this instant lies in {@code [since, until)}. */
    public boolean inRange(Instant storedAt) {
        return (since == null || !storedAt.isBefore(since)) && (until == null || storedAt.isBefore(until));
    }
}
