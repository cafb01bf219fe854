package io.arqonbus.server.internal.hub;

import io.arqonbus.server.internal.channel.ChannelKey;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.session.Session;
import io.netty.buffer.ByteBuf;
import java.util.Collection;

/**
 * The tasks that run on a subscriber's event loop: each writes one shared frame to that loop's
 * members and releases its reference. Flushing is left to the loop's batcher.
 */
final class Deliveries {
    private Deliveries() {
    }

    /**
     * A channel publication (or notice, offset 0) for one loop's members of the channel; a member
     * recovering the channel holds it back instead.
     */
    static Runnable toChannel(ByteBuf frame, ChannelKey key, long offset, LocalMembers members, Session exclude,
            BusMetrics metrics) {
        return () -> {
            int size = frame.readableBytes();
            int sent = 0;
            try {
                sent = toMembers(frame, key, offset, null, members, exclude, null, NO_STAMP);
            } finally {
                frame.release();
                metrics.sent(sent, size);
            }
        };
    }

    /**
     * A publication (or notice, offset 0) of a {@code drop-oldest} or {@code conflate} channel for
     * one loop's members: a member that fell behind keeps it in its backlog of the channel.
     */
    static Runnable toBackloggedChannel(ByteBuf frame, ChannelKey key, long offset, Object conflationKey,
            LocalMembers members, Session exclude, ChannelBacklogPolicy backlog, BusMetrics metrics) {
        return () -> {
            int size = frame.readableBytes();
            int sent = 0;
            try {
                sent = toMembers(frame, key, offset, conflationKey, members, exclude, backlog, NO_STAMP);
            } finally {
                frame.release();
                metrics.sent(sent, size);
            }
        };
    }

    /** {@link #toMembers}'s stamp when no stamp is needed. */
    private static final long NO_STAMP = -1;

    /**
     * Writes the frame to each member but {@code exclude} (a recovering member holds it back),
     * stamping each with {@code stamp} unless it is {@link #NO_STAMP}; returns how many were sent.
     * With a {@code backlog} policy ({@code drop-oldest}, {@code conflate}; null for the default), a
     * member that fell behind keeps the frame in its backlog of the channel instead. The references the members' views hold are taken with one {@code retain(n)} for the whole
     * member list, not one atomic increment per member (a {@linkplain FrameEncoder#share share} is
     * a retain and a plain duplicate); each member's duplicate releases one when written.
     */
    private static int toMembers(ByteBuf frame, ChannelKey key, long offset, Object conflationKey,
            LocalMembers members, Session exclude, ChannelBacklogPolicy backlog, long stamp) {
        Session[] sessions = members.sessions();
        int references = sessions.length;
        if (references == 0) {
            return 0;
        }
        frame.retain(references);
        int handed = 0;
        int sent = 0;
        try {
            for (Session session : sessions) {
                if (session == exclude) {
                    continue;
                }
                if (stamp != NO_STAMP) {
                    session.stamp(stamp);
                }
                handed++;
                ByteBuf copy = frame.duplicate();
                if (session.isRecovering() && session.hold(key, offset, copy)) {
                    continue;
                }
                if (backlog == null ? session.deliver(copy)
                        : session.deliverOrBacklog(key, offset, conflationKey, copy, backlog)) {
                    sent++;
                }
            }
        } finally {
            releaseUnhanded(frame, references, handed);
        }
        return sent;
    }

    /** Gives back the references taken for members that were skipped (the excluded sender). */
    private static void releaseUnhanded(ByteBuf frame, int references, int handed) {
        if (handed < references) {
            frame.release(references - handed);
        }
    }


    /**
     * A channel publication for one loop's members of the channel and then for the loop's
     * connections whose filters match it, each once: members are stamped, so a member with a
     * matching filter is not served twice (used only while some connection has a filter).
     */
    static Runnable toChannelAndFilters(ByteBuf frame, BusChannel channel, long offset, int loopIndex,
            Session exclude, long stamp, Envelope delivered, FilteredReceivers filters, BusMetrics metrics) {
        LocalMembers members = channel.local(loopIndex);
        ChannelKey key = channel.key();
        ChannelBacklogPolicy backlog = channel.backlog();
        Object conflationKey = backlog != null && backlog.conflates() ? ConflationKey.of(delivered) : null;
        return () -> {
            int size = frame.readableBytes();
            int sent = 0;
            try {
                sent = toMembers(frame, key, offset, conflationKey, members, exclude, backlog, stamp);
                sent += filters.deliver(loopIndex, delivered, channel, frame, exclude, stamp);
            } finally {
                frame.release();
                metrics.sent(sent, size);
            }
        };
    }

    /**
     * A room broadcast for one loop's members of any of the room's channels, each once, then (when
     * {@code filters} is not {@code null}) for the loop's connections whose filters match it.
     */
    static Runnable toRoom(ByteBuf frame, Collection<BusChannel> channels, int loopIndex, long stamp,
            Session exclude, Envelope delivered, FilteredReceivers filters, BusMetrics metrics) {
        return () -> {
            int size = frame.readableBytes();
            int sent = 0;
            try {
                for (BusChannel channel : channels) {
                    for (Session session : channel.local(loopIndex).sessions()) {
                        if (session != exclude && session.stamp(stamp)
                                && session.deliver(FrameEncoder.share(frame))) {
                            sent++;
                        }
                    }
                }
                if (filters != null) {
                    sent += filters.deliver(loopIndex, delivered, null, frame, exclude, stamp);
                }
            } finally {
                frame.release();
                metrics.sent(sent, size);
            }
        };
    }

    /** A frame for one session. */
    static Runnable toSession(ByteBuf frame, Session target, BusMetrics metrics) {
        return () -> {
            int size = frame.readableBytes();
            if (target.deliver(frame)) {
                metrics.sent(1, size);
            }
        };
    }
}
