package io.arqonbus.server.internal.transport;

import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.server.internal.session.Disconnector;
import io.arqonbus.server.internal.session.Outbound;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Server keepalive on Netty's {@link IdleStateHandler}: a connection from which no frame arrived
 * for the interval gets a ping; if nothing (pong or any other frame) arrives within the timeout
 * after it, the connection is closed with 1011 {@code keepalive ping timeout}. Each ping carries
 * its sequence number (8 bytes, big-endian, 1, 2, …) so a pong can be matched to its ping when
 * debugging a connection. An interval of zero turns keepalive off.
 */
final class KeepAliveHandler extends IdleStateHandler {
    private final long timeoutNanos;
    private final Outbound outbound;
    private final Disconnector disconnector;
    /** Closes the connection when the outstanding ping stays unanswered; {@code null} when none is. */
    private ScheduledFuture<?> pingDeadline;
    private long sequence;

    KeepAliveHandler(Duration interval, Duration timeout, Outbound outbound, Disconnector disconnector) {
        super(interval.toNanos(), 0, 0, TimeUnit.NANOSECONDS);
        this.timeoutNanos = timeout.toNanos();
        this.outbound = outbound;
        this.disconnector = disconnector;
    }

    /** The connection was quiet for the interval: ping it, unless a ping is already waiting for an answer. */
    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (evt.state() != IdleState.READER_IDLE || pingDeadline != null || Disconnector.isClosing(ctx.channel())) {
            return;
        }
        outbound.writeControl(new PingWebSocketFrame(ctx.alloc().buffer(Long.BYTES).writeLong(++sequence)));
        pingDeadline = ctx.executor().schedule(() -> {
            pingDeadline = null;
            if (ctx.channel().isActive()) {
                disconnector.close(ctx.channel(), CloseCodes.INTERNAL_ERROR, "keepalive ping timeout");
            }
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        answered();
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        answered();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        answered();
        super.handlerRemoved(ctx);
    }

    /** Any frame answers the outstanding ping. */
    private void answered() {
        if (pingDeadline != null) {
            pingDeadline.cancel(false);
            pingDeadline = null;
        }
    }
}
