package io.arqonbus.server.internal.transport;

import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.protocol.Inbound;
import io.arqonbus.server.internal.limits.TokenBucket;
import io.arqonbus.server.internal.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.List;

/**
 * Reads a session's WebSocket frames: reassembles fragmented text messages up to the maximum
 * message size, decodes each message once into an {@link Inbound}, and hands it to the router.
 * Binary and oversized messages are refused with an error frame and the connection stays open.
 * The fragments of a message being reassembled are charged to the server's bound on unfinished
 * messages through the connection's {@link InboundFrameDecoder}.
 */
final class BusFrameHandler extends ChannelInboundHandlerAdapter {
    private final BusDependencies deps;
    private final Session session;
    private final InboundFrameDecoder inbound;
    private final int maxMessageSize;
    /** The text message being reassembled from fragments, or {@code null}. */
    private CompositeByteBuf fragments;
    /** Whether the message being received is binary or too large and is being skipped. */
    private ErrorCode skipping;
    /** The connection's message rate limit, or {@code null} when off. */
    private final TokenBucket rate;
    private final int rateLimitCloseAfter;
    /** Rate-limited messages since the last quiet second (a second without one). */
    private int rateLimited;
    private long lastRateLimitedNanos;
    private final String rateLimitSentence;
    /** Writes the session's backlogs out; made the first time it is needed. */
    private Runnable drainBacklogs;

    BusFrameHandler(BusDependencies deps, Session session, InboundFrameDecoder inbound) {
        this.deps = deps;
        this.session = session;
        this.inbound = inbound;
        this.maxMessageSize = deps.config().limits().maxMessageSize();
        int perSecond = deps.config().rateLimits().perSecond();
        this.rate = perSecond > 0 ? new TokenBucket(perSecond, deps.config().rateLimits().burst(), System.nanoTime()) : null;
        this.rateLimitCloseAfter = deps.config().rateLimits().closeAfter();
        this.rateLimitSentence = "Too many messages: at most " + perSecond + " per second (burst "
                + deps.config().rateLimits().burst() + "); this message was dropped";
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            read(ctx, frame);
        } finally {
            frame.release();
        }
    }

    private void read(ChannelHandlerContext ctx, WebSocketFrame frame) {
        switch (frame) {
            case TextWebSocketFrame text -> startMessage(text, null);
            case BinaryWebSocketFrame binary -> startMessage(binary, ErrorCode.UNSUPPORTED_FRAME);
            case ContinuationWebSocketFrame continuation -> continueMessage(continuation);
            case PingWebSocketFrame ping -> session.outbound().writeControl(new PongWebSocketFrame(ping.content().retain()));
            case PongWebSocketFrame pong -> { }
            case CloseWebSocketFrame close -> {
                int code = close.statusCode() > 0 ? close.statusCode() : 1000;
                deps.disconnector().close(ctx.channel(), code == 1005 ? 1000 : code, "bye");
            }
            default -> { }
        }
    }

    private void startMessage(WebSocketFrame frame, ErrorCode refusal) {
        releaseFragments();
        skipping = refusal;
        if (refusal == null && frame.content().readableBytes() > maxMessageSize) {
            skipping = ErrorCode.PAYLOAD_TOO_LARGE;
        }
        if (frame.isFinalFragment()) {
            finish(frame.content());
        } else if (skipping == null && inbound.holdMessage(frame.content().readableBytes())) {
            fragments = frame.content().alloc().compositeBuffer(64);
            fragments.addComponent(true, frame.content().retain());
        } else if (skipping == null) {
            // No room for the message: the connection is being closed with 1013.
            inbound.messageDone();
        }
    }

    private void continueMessage(ContinuationWebSocketFrame frame) {
        if (skipping == null && fragments == null) {
            // A continuation without a start: the WebSocket decoder rejects these; ignore defensively.
            return;
        }
        if (skipping == null) {
            if (fragments.readableBytes() + frame.content().readableBytes() > maxMessageSize) {
                releaseFragments();
                skipping = ErrorCode.PAYLOAD_TOO_LARGE;
            } else if (inbound.holdMessage(frame.content().readableBytes())) {
                fragments.addComponent(true, frame.content().retain());
            } else {
                // No room for the rest of the message: the connection is being closed with 1013.
                releaseFragments();
                return;
            }
        }
        if (frame.isFinalFragment()) {
            ByteBuf whole = fragments;
            fragments = null;
            try {
                finish(whole);
            } finally {
                if (whole != null) {
                    whole.release();
                    inbound.messageDone();
                }
            }
        }
    }

    private void finish(ByteBuf message) {
        ErrorCode refusal = skipping;
        skipping = null;
        session.touch(deps.clock().instant());
        if (rate != null && !rate.tryTake(System.nanoTime())) {
            rateLimited();
            return;
        }
        if (refusal == ErrorCode.UNSUPPORTED_FRAME) {
            refuse(refusal, "Binary frames are not supported; send JSON envelopes as text frames");
        } else if (refusal == ErrorCode.PAYLOAD_TOO_LARGE) {
            refuse(refusal, "The message is larger than the maximum message size of " + maxMessageSize + " bytes");
        } else {
            Inbound inbound;
            int length = message.readableBytes();
            if (message.hasArray()) {
                inbound = deps.codec().decode(message.array(), message.arrayOffset() + message.readerIndex(), length);
            } else {
                byte[] bytes = new byte[length];
                message.getBytes(message.readerIndex(), bytes);
                inbound = deps.codec().decode(bytes, 0, length);
            }
            deps.router().route(session, inbound);
        }
    }

    /**
     * A message over the connection's rate: not read at all (no decoding), answered with a
     * {@code RATE_LIMITED} error frame. A connection that keeps sending over its rate — {@code
     * rateLimitCloseAfter} rate-limited messages with less than a second between one and the next —
     * is closed with 4002. Rate-limited messages do not count as protocol violations.
     */
    private void rateLimited() {
        deps.metrics().error(ErrorCode.RATE_LIMITED);
        long now = System.nanoTime();
        if (now - lastRateLimitedNanos > 1_000_000_000L) {
            rateLimited = 0;
        }
        lastRateLimitedNanos = now;
        if (++rateLimited >= rateLimitCloseAfter) {
            deps.metrics().limitClose("rate_limit");
            deps.disconnector().close(session.channel(), CloseCodes.RATE_LIMIT_EXCEEDED, "rate limit exceeded");
            return;
        }
        deps.router().rateLimited(session, rateLimitSentence);
    }

    private void refuse(ErrorCode code, String sentence) {
        deps.router().refuse(session, code, sentence, List.of(sentence), null);
    }

    private void releaseFragments() {
        if (fragments != null) {
            fragments.release();
            fragments = null;
            inbound.messageDone();
        }
    }

    /**
     * The connection takes output again: what waits in its backlogs (per-channel slow-consumer
     * policy) goes out — in a task of its own, never inside the flush that may have fired this
     * event, whose batch a write would join too late.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && session.hasBacklogs()) {
            if (drainBacklogs == null) {
                drainBacklogs = session::drainBacklogs;
            }
            ctx.channel().eventLoop().execute(drainBacklogs);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseFragments();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseFragments();
    }

}
