package io.arqonbus.server.hub;

import io.arqonbus.server.metrics.BusMetrics;
import io.arqonbus.server.session.Session;
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
                for (Session session : members.sessions()) {
                    if (session == exclude) {
                        continue;
                    }
                    ByteBuf copy = frame.retainedDuplicate();
                    if (session.isRecovering() && session.hold(key, offset, copy)) {
                        continue;
                    }
                    if (session.deliver(copy)) {
                        sent++;
                    }
                }
            } finally {
                frame.release();
                metrics.sent(sent, size);
            }
        };
    }

    /** A room broadcast for one loop's members of any of the room's channels, each once. */
    static Runnable toRoom(ByteBuf frame, Collection<BusChannel> channels, int loopIndex, long stamp,
            Session exclude, BusMetrics metrics) {
        return () -> {
            int size = frame.readableBytes();
            int sent = 0;
            try {
                for (BusChannel channel : channels) {
                    for (Session session : channel.local(loopIndex).sessions()) {
                        if (session != exclude && session.stamp(stamp)
                                && session.deliver(frame.retainedDuplicate())) {
                            sent++;
                        }
                    }
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
