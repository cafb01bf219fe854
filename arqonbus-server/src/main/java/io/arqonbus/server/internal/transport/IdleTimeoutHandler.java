package io.arqonbus.server.internal.transport;

import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.session.Disconnector;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection with 4004 {@code idle timeout} when the client sent no message (text, binary
 * or continuation frame) for the idle timeout, on Netty's {@link IdleStateHandler}. Pings, pongs
 * and close frames pass by without counting as reads, so a client that only answers keepalive
 * pings is still idle.
 */
final class IdleTimeoutHandler extends IdleStateHandler {
    private final Disconnector disconnector;
    private final BusMetrics metrics;

    IdleTimeoutHandler(Duration timeout, Disconnector disconnector, BusMetrics metrics) {
        super(timeout.toNanos(), 0, 0, TimeUnit.NANOSECONDS);
        this.disconnector = disconnector;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame
                || msg instanceof ContinuationWebSocketFrame) {
            super.channelRead(ctx, msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (evt.state() == IdleState.READER_IDLE && evt.isFirst() && ctx.channel().isActive()) {
            metrics.limitClose("idle_timeout");
            disconnector.close(ctx.channel(), CloseCodes.IDLE_TIMEOUT, "idle timeout");
        }
    }
}
