package io.arqonbus.server.internal.session;

import io.arqonbus.server.config.SlowConsumerPolicy;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.util.Map;

/**
 * A connection's way out: writes prepared frames on the connection's loop, batches flushes
 * through the loop's {@link LoopContext}, and applies the slow-consumer policy when the bytes
 * waiting for the socket pass the budget. Loop-confined.
 */
public final class Outbound {
    /** What the outbound side reports to the rest of the server. */
    public interface Listener {
        /** A delivery was dropped under the {@code drop} policy. */
        void dropped(int bytes);

        /** The connection passed its budget under the {@code close} policy and must be closed. */
        void slowConsumer(Channel channel, long pendingBytes);
    }

    /**
     * Set on a channel once a close was started (by the transport's {@code Disconnector}); from
     * then on nothing more is written to it.
     */
    public static final AttributeKey<Boolean> CLOSING = AttributeKey.valueOf("arqonbus.closing");

    private final Channel channel;
    /** The channel's {@link #CLOSING} attribute, looked up once (a map lookup per delivery otherwise). */
    private final Attribute<Boolean> closingMark;
    private final LoopContext loop;
    private final long maxPendingBytes;
    private final SlowConsumerPolicy policy;
    private final Listener listener;
    private Session session;
    /**
     * Where prepared frames enter the pipeline: the WebSocket encoder's context, so a write goes
     * to the socket (through TLS, when on) without passing the handlers above it (prepared frames
     * need no encoding). {@code null} until the WebSocket pipeline is in place; until then the
     * channel's own write is used.
     */
    private ChannelHandlerContext wire;
    /**
     * Whether no outbound handler sits between {@link #wire} and the socket (no TLS): then a
     * prepared frame and its flush go straight to the channel's outbound buffer, which is where
     * the pipeline's head would put them, without walking the pipeline's contexts per delivery.
     */
    private boolean direct;
    private boolean dirty;
    private boolean closing;

    public Outbound(Channel channel, LoopContext loop, long maxPendingBytes, SlowConsumerPolicy policy,
            Listener listener) {
        this.channel = channel;
        this.closingMark = channel.attr(CLOSING);
        this.loop = loop;
        this.maxPendingBytes = maxPendingBytes;
        this.policy = policy;
        this.listener = listener;
    }

    /**
     * Sends prepared frames in at {@code context} from now on (they reach only the outbound
     * handlers before it). Called on the connection's loop once the WebSocket pipeline is complete.
     */
    public void writeAt(ChannelHandlerContext context) {
        this.wire = context;
        this.direct = nothingWritesBelow(context);
    }

    /** Whether no outbound handler comes before {@code context} in its pipeline (head first). */
    private static boolean nothingWritesBelow(ChannelHandlerContext context) {
        for (Map.Entry<String, ChannelHandler> entry : context.pipeline()) {
            ChannelHandler handler = entry.getValue();
            if (handler == context.handler()) {
                return true;
            }
            if (handler instanceof ChannelOutboundHandler) {
                return false;
            }
        }
        return false;
    }

    /** Binds the session whose flushes the loop batches; called once, right after construction. */
    public void bind(Session owner) {
        this.session = owner;
    }

    /**
     * Writes one prepared frame (a whole WebSocket frame, or a frame object) and takes ownership
     * of it. Returns whether it was written.
     */
    public boolean write(ByteBuf frame) {
        if (isClosing() || !channel.isActive()) {
            frame.release();
            return false;
        }
        long pending = pendingBytes();
        if (pending + frame.readableBytes() > maxPendingBytes) {
            int size = frame.readableBytes();
            frame.release();
            if (policy == SlowConsumerPolicy.DROP) {
                listener.dropped(size);
            } else {
                closing = true;
                listener.slowConsumer(channel, pending);
            }
            return false;
        }
        if (direct && !wire.isRemoved()) {
            channel.unsafe().write(frame, channel.voidPromise());
        } else {
            entry().write(frame, channel.voidPromise());
        }
        markDirty();
        return true;
    }

    /**
     * Closes the connection as a slow consumer (4001) whatever the policy: used when frames it
     * should have received had to be dropped (a recovery held back more than it may).
     */
    public void closeAsSlowConsumer() {
        if (!closing) {
            closing = true;
            listener.slowConsumer(channel, pendingBytes());
        }
    }

    /** Where prepared frames go in: the first handler's context, or the channel before that is set. */
    private ChannelOutboundInvoker entry() {
        ChannelHandlerContext at = wire;
        return at != null && !at.isRemoved() ? at : channel;
    }

    /** Writes any outbound message (control frames) and schedules a flush. */
    public void writeControl(Object message) {
        if (!channel.isActive()) {
            io.netty.util.ReferenceCountUtil.release(message);
            return;
        }
        channel.write(message, channel.voidPromise());
        markDirty();
    }

    private void markDirty() {
        if (!dirty) {
            dirty = true;
            loop.markDirty(session);
        }
    }

    /** Flushes now; called by the loop's batcher. */
    void flush() {
        dirty = false;
        if (!channel.isActive()) {
            return;
        }
        if (direct && !wire.isRemoved()) {
            channel.unsafe().flush();
        } else {
            entry().flush();
        }
    }

    /** Stops further writes; the connection is being closed. */
    public void markClosing() {
        closing = true;
    }

    /** Whether the connection is being closed. */
    public boolean isClosing() {
        return closing || closingMark.get() != null;
    }

    /**
     * Whether the connection takes a frame of {@code bytes} now without falling behind: it is
     * writable (its pending output is below the write-buffer high-water mark) and the frame stays
     * within the pending-output budget. Used by channels that keep a backlog for members that fall
     * behind, so that such a channel never closes a connection for its budget.
     */
    public boolean takes(int bytes) {
        return channel.isWritable() && pendingBytes() + bytes <= maxPendingBytes;
    }

    /** Bytes written but not yet taken by the socket. */
    public long pendingBytes() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

}
