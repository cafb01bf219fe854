package io.arqonbus.server.internal.session;

import io.netty.buffer.ByteBuf;

/**
 * What a channel whose policy is {@code drop-oldest} or {@code conflate} tells a member's
 * {@link Backlog}: whether it conflates, its bounds, how to say what was missed, and where to count
 * what was skipped. One per channel; implemented by the hub, which knows how to encode a notice.
 */
public interface BacklogPolicy {
    /** Whether a frame replaces the waiting one with the same conflation key ({@code conflate}). */
    boolean conflates();

    /** Frames one member's backlog of this channel holds at most. */
    int maxFrames();

    /** Bytes one member's backlog of this channel holds at most (a single larger frame is still kept). */
    long maxBytes();

    /**
     * The encoded {@code missed} notice (a whole WebSocket frame the caller then owns) for
     * {@code count} publications not delivered, the oldest at {@code firstOffset} and the newest at
     * {@code lastOffset}.
     */
    ByteBuf missedNotice(long count, long firstOffset, long lastOffset);

    /** One publication was dropped or replaced in a backlog (a metric). */
    void skipped();
}
