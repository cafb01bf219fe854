package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.session.LoopContexts;
import io.arqonbus.server.internal.session.Session;
import io.netty.buffer.ByteBuf;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands encoded frames to the event loops: a channel's publication or notice once to each loop
 * that serves members of the channel (plain), or also to each loop with filtered receivers while
 * some connection has a filter (filtered); a room broadcast once to every loop (room); a frame to
 * one or several sessions (direct). Each loop runs one {@link Deliveries} task per frame, which
 * writes a share of it to that loop's receivers. Lock-free: the caller keeps a channel's order.
 */
final class FanOut {
    private final LoopContexts loops;
    private final BusMetrics metrics;
    private final AtomicLong stamps = new AtomicLong();
    private volatile FilteredReceivers filtered;

    FanOut(LoopContexts loops, BusMetrics metrics) {
        this.loops = loops;
        this.metrics = metrics;
    }

    /** Delivers publications also to connections whose filters match them; set once, before traffic. */
    void filteredReceivers(FilteredReceivers receivers) {
        this.filtered = receivers;
    }

    /**
     * Hands the frame once to each loop with members of the channel — and, for a publication
     * ({@code delivered} not {@code null}) while some connection has a filter, to each loop with
     * filtered receivers; takes ownership of {@code frame}.
     *
     * @param offset the publication's offset, 0 for a notice
     */
    void toChannel(BusChannel channel, ByteBuf frame, Session exclude, long offset, Envelope delivered) {
        FilteredReceivers filters = filtered;
        if (delivered != null && filters != null && filters.any()) {
            toChannelAndFilters(channel, frame, exclude, offset, delivered, filters);
            return;
        }
        ChannelBacklogPolicy backlog = channel.backlog();
        if (backlog != null) {
            toBackloggedChannel(channel, frame, exclude, offset, delivered, backlog);
            return;
        }
        try {
            for (int loop : channel.activeLoops()) {
                frame.retain();
                loops.get(loop).enqueue(
                        Deliveries.toChannel(frame, channel.key(), offset, channel.local(loop), exclude, metrics));
            }
        } finally {
            frame.release();
        }
    }

    /**
     * {@link #toChannel} for a {@code drop-oldest} or {@code conflate} channel: a member that fell
     * behind keeps the frame in its backlog; the conflation key is read here, once per publication.
     */
    private void toBackloggedChannel(BusChannel channel, ByteBuf frame, Session exclude, long offset,
            Envelope delivered, ChannelBacklogPolicy backlog) {
        Object conflationKey = backlog.conflates() && delivered != null ? ConflationKey.of(delivered) : null;
        try {
            for (int loop : channel.activeLoops()) {
                frame.retain();
                loops.get(loop).enqueue(Deliveries.toBackloggedChannel(frame, channel.key(), offset, conflationKey,
                        channel.local(loop), exclude, backlog, metrics));
            }
        } finally {
            frame.release();
        }
    }

    private void toChannelAndFilters(BusChannel channel, ByteBuf frame, Session exclude, long offset,
            Envelope delivered, FilteredReceivers filters) {
        long stamp = stamps.incrementAndGet();
        int[] active = channel.activeLoops();
        try {
            for (int loop = 0; loop < loops.size(); loop++) {
                if (!contains(active, loop) && !filters.onLoop(loop)) {
                    continue;
                }
                frame.retain();
                loops.get(loop).enqueue(Deliveries.toChannelAndFilters(frame, channel, offset, loop, exclude, stamp,
                        delivered, filters, metrics));
            }
        } finally {
            frame.release();
        }
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    /**
     * Hands a room broadcast once to every loop, which writes it to each member of any of
     * {@code channels} once, then to its connections whose filters match; takes ownership of
     * {@code frame}.
     */
    void toRoom(Collection<BusChannel> channels, ByteBuf frame, Session exclude, Envelope delivered) {
        long stamp = stamps.incrementAndGet();
        FilteredReceivers filters = filtered;
        if (filters != null && !filters.any()) {
            filters = null;
        }
        try {
            for (int i = 0; i < loops.size(); i++) {
                frame.retain();
                loops.get(i).enqueue(Deliveries.toRoom(frame, channels, i, stamp, exclude, delivered, filters,
                        metrics));
            }
        } finally {
            frame.release();
        }
    }

    /** Hands the frame to one session's loop; takes ownership of {@code frame}. */
    void toSession(Session target, ByteBuf frame) {
        target.loop().enqueue(Deliveries.toSession(frame, target, metrics));
    }

    /** Hands a share of the frame to each session's loop; takes ownership of {@code frame}. */
    void toSessions(Collection<Session> targets, ByteBuf frame) {
        try {
            for (Session target : targets) {
                target.loop().enqueue(Deliveries.toSession(FrameEncoder.share(frame), target, metrics));
            }
        } finally {
            frame.release();
        }
    }

    /** Writes the frame to the session now; call on the session's loop. Takes ownership of {@code frame}. */
    void writeNow(Session target, ByteBuf frame) {
        Deliveries.toSession(frame, target, metrics).run();
    }
}
