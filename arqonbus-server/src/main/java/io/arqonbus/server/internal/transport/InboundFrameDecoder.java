package io.arqonbus.server.internal.transport;

import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.server.internal.limits.InboundBudget;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.session.Disconnector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus port's WebSocket frame decoder: Netty's, with three things added.
 *
 * <ul>
 *   <li><b>Answers with the right close code and ends cleanly.</b> A frame Netty refuses (over
 *       the maximum frame size: 1009; any other protocol violation: 1002) closes the connection
 *       through the {@link Disconnector}: the close frame is sent, and what the peer still sends is
 *       read and thrown away until it closes (or the close wait ends). Closing the socket at once,
 *       as Netty does on its own, makes the kernel answer a peer still sending with a reset,
 *       which destroys the close frame before the peer reads it (the peer saw 1006).</li>
 *   <li><b>Close frames are checked as RFC 6455 §7.4 says.</b> A code a peer may not send (below
 *       1000, 1004–1006, 1015, 1016–2999, 5000 and above) or a reason that is not valid UTF-8 is a
 *       protocol error: 1002.</li>
 *   <li><b>Unfinished frames are bounded across connections.</b> After each read, the buffer in
 *       which Netty keeps a frame that has only partly arrived (its capacity: the memory it takes)
 *       is charged to the server's {@link InboundBudget}, as are the fragments of a message the
 *       frame handler is reassembling ({@link #holdMessage}). A connection that would need more than is left is
 *       closed with 1013; one whose frame or fragmented message takes longer than the receive
 *       timeout to arrive is closed with 1008.</li>
 * </ul>
 *
 * <p>A read that ends on a frame boundary, the common case, costs one comparison here. Lives on
 * the connection's event loop; not shared.
 */
final class InboundFrameDecoder extends WebSocket08FrameDecoder {
    private static final Logger log = LoggerFactory.getLogger(InboundFrameDecoder.class);
    private static final long NONE = Long.MIN_VALUE;
    /** The longest reason a close frame can carry (125 bytes of payload minus the code). */
    private static final int MAX_REASON_BYTES = 123;

    private final int maxFrameSize;
    private final InboundBudget budget;
    private final long receiveTimeoutNanos;
    private final Disconnector disconnector;
    private final BusMetrics metrics;
    private ChannelHandlerContext ctx;
    /** Bytes charged for the unfinished frame Netty holds. */
    private long frameBytes;
    /** Bytes charged for the fragments of the unfinished message the frame handler holds. */
    private long messageBytes;
    private boolean messageOpen;
    /** When the unfinished frame / message began arriving ({@link System#nanoTime()}), or {@link #NONE}. */
    private long frameSince = NONE;
    private long messageSince = NONE;
    /** Whether a frame was completed during the current read. */
    private boolean frameCompleted;
    private ScheduledFuture<?> deadline;
    private boolean refused;

    InboundFrameDecoder(WebSocketDecoderConfig config, InboundBudget budget, Duration receiveTimeout,
            Disconnector disconnector, BusMetrics metrics) {
        super(config.toBuilder().closeOnProtocolViolation(false).build());
        this.maxFrameSize = config.maxFramePayloadLength();
        this.budget = budget;
        this.receiveTimeoutNanos = receiveTimeout.toNanos();
        this.disconnector = disconnector;
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        frameCompleted = false;
        try {
            super.channelRead(ctx, msg);
        } catch (CorruptedWebSocketFrameException e) {
            violation(e);
            return;
        }
        if (!refused) {
            // What the unfinished frame costs is the buffer Netty keeps it in: its capacity, which
            // grows by doubling and can be up to twice the bytes received so far.
            ByteBuf cumulation = internalBuffer();
            holdFrame(cumulation.isReadable() ? cumulation.capacity() : 0);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        int before = out.size();
        super.decode(ctx, in, out);
        if (out.size() > before) {
            frameCompleted = true;
            // A frame just completed and nothing follows it: its buffer goes once this read is done,
            // so the charge goes now, before the frame moves on (where the frame handler may charge
            // its bytes as a fragment): never counted twice.
            if (!in.isReadable()) {
                budget.give(frameBytes);
                frameBytes = 0;
            }
        }
    }

    /**
     * Netty checks the code against its own list (which lets 5000 and above through) and the
     * reason as UTF-8 (answering 1007); both are protocol errors here, 1002, as RFC 6455 §7.4 and
     * §5.5.1 say.
     */
    @Override
    protected void checkCloseFrameBody(ChannelHandlerContext ctx, ByteBuf body) {
        if (body == null || !body.isReadable()) {
            return;
        }
        if (body.readableBytes() == 1) {
            throw new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR,
                    "close frame with a one-byte body");
        }
        int code = body.getUnsignedShort(body.readerIndex());
        if (!CloseCodes.isValidPeerCode(code)) {
            throw new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR,
                    "invalid close code " + code);
        }
        if (!ByteBufUtil.isText(body, body.readerIndex() + 2, body.readableBytes() - 2, CharsetUtil.UTF_8)) {
            throw new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR,
                    "close reason is not valid UTF-8");
        }
    }

    /** A frame Netty (or the close-frame check above) refused: answer with its code. */
    private void violation(CorruptedWebSocketFrameException e) {
        int code = e.closeStatus().code();
        String reason;
        if (code == CloseCodes.MESSAGE_TOO_BIG) {
            metrics.limitClose("max_frame_size");
            reason = "frame larger than the maximum frame size of " + maxFrameSize + " bytes";
        } else {
            code = CloseCodes.PROTOCOL_ERROR;
            reason = "protocol error: " + e.getMessage();
        }
        log.atDebug()
                .addKeyValue("event", "protocol_error")
                .addKeyValue("code", code)
                .addKeyValue("remote", ctx.channel().remoteAddress())
                .addKeyValue("error", e.getMessage())
                .log("protocol_error");
        refuse(code, reason);
    }

    /** After a read: charge (or give back) what the unfinished frame now holds. */
    private void holdFrame(long held) {
        if (held == frameBytes) {
            if (held == 0) {
                frameSince = NONE;
            } else if (frameCompleted) {
                restartFrameClock();
            }
            return;
        }
        if (held > frameBytes && !budget.tryTake(held - frameBytes)) {
            overBudget(held - frameBytes);
            return;
        }
        budget.give(frameBytes - held);
        long before = frameBytes;
        frameBytes = held;
        if (held == 0) {
            frameSince = NONE;
        } else if (before == 0 || frameCompleted) {
            restartFrameClock();
        }
    }

    private void restartFrameClock() {
        frameSince = System.nanoTime();
        armDeadline();
    }

    /**
     * The frame handler keeps {@code bytes} more of a fragmented message: charged to the budget.
     * {@code false} when they do not fit: the connection is then being closed with 1013, and the
     * caller must drop what it holds of the message (and call {@link #messageDone()}).
     */
    boolean holdMessage(int bytes) {
        if (refused) {
            return false;
        }
        if (!budget.tryTake(bytes)) {
            overBudget(bytes);
            return false;
        }
        messageBytes += bytes;
        if (!messageOpen) {
            messageOpen = true;
            messageSince = System.nanoTime();
            armDeadline();
        }
        return true;
    }

    /** The frame handler finished (or dropped) the fragmented message it was reassembling. */
    void messageDone() {
        budget.give(messageBytes);
        messageBytes = 0;
        messageOpen = false;
        messageSince = NONE;
    }

    private void overBudget(long wanted) {
        metrics.limitClose("partial_inbound_budget");
        log.atDebug()
                .addKeyValue("event", "partial_inbound_budget_exhausted")
                .addKeyValue("remote", ctx.channel().remoteAddress())
                .addKeyValue("wanted", wanted)
                .addKeyValue("held_by_all", budget.held())
                .addKeyValue("budget", budget.capacity())
                .log("partial_inbound_budget_exhausted");
        refuse(CloseCodes.TRY_AGAIN_LATER, "server busy: no room for unfinished messages, try again later");
    }

    /** One timer per connection at most, due when the oldest unfinished frame or message runs out of time. */
    private void armDeadline() {
        if (receiveTimeoutNanos <= 0 || deadline != null || refused) {
            return;
        }
        long oldest = oldest();
        if (oldest == NONE) {
            return;
        }
        long due = Math.max(0, oldest + receiveTimeoutNanos - System.nanoTime());
        deadline = ctx.executor().schedule(this::deadlineDue, due, TimeUnit.NANOSECONDS);
    }

    private void deadlineDue() {
        deadline = null;
        if (refused || !ctx.channel().isActive()) {
            return;
        }
        long oldest = oldest();
        if (oldest == NONE) {
            return;
        }
        if (System.nanoTime() - oldest >= receiveTimeoutNanos) {
            metrics.limitClose("receive_timeout");
            refuse(CloseCodes.POLICY_VIOLATION, "message not received within "
                    + Duration.ofNanos(receiveTimeoutNanos).toMillis() + " ms");
        } else {
            armDeadline();
        }
    }

    private long oldest() {
        if (frameSince == NONE) {
            return messageSince;
        }
        return messageSince == NONE ? frameSince : Math.min(frameSince, messageSince);
    }

    /**
     * Closes the connection with {@code code}: gives back the unfinished frame's bytes and frees
     * them at once (this decoder makes way for one that throws everything away), then sends the
     * close frame through the {@link Disconnector}. The fragments the frame handler holds are given
     * back when it drops them.
     */
    private void refuse(int code, String reason) {
        if (refused) {
            return;
        }
        refused = true;
        releaseFrame();
        if (!ctx.isRemoved()) {
            ctx.pipeline().replace(this, HandlerNames.WS_DECODER, Discard.INSTANCE);
        }
        disconnector.close(ctx.channel(), code, truncate(reason));
    }

    private void releaseFrame() {
        budget.give(frameBytes);
        frameBytes = 0;
        frameSince = NONE;
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    /** Reasons here are ASCII: one byte per character. */
    private static String truncate(String reason) {
        return reason.length() <= MAX_REASON_BYTES ? reason : reason.substring(0, MAX_REASON_BYTES);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseFrame();
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        releaseFrame();
        super.handlerRemoved0(ctx);
    }

    /** What stands in for the decoder once the connection is closing: reads and drops everything. */
    @ChannelHandler.Sharable
    static final class Discard extends ChannelInboundHandlerAdapter {
        static final Discard INSTANCE = new Discard();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
