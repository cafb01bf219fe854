package io.arqonbus.server.internal.transport;

import io.arqonbus.server.internal.session.Disconnector;

import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection with 4004 when the client sent no message (text, binary or continuation
 * frame; pings and pongs do not count) for the idle timeout. Checked a few times per timeout, so a
 * connection is closed between one and one and a quarter timeouts after its last message.
 */
final class IdleTimeoutHandler extends ChannelInboundHandlerAdapter {
    private final long timeoutNanos;
    private final Disconnector disconnector;
    private final BusMetrics metrics;
    private long lastMessageNanos = System.nanoTime();
    private ScheduledFuture<?> checker;

    IdleTimeoutHandler(Duration timeout, Disconnector disconnector, BusMetrics metrics) {
        this.timeoutNanos = timeout.toNanos();
        this.disconnector = disconnector;
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        long every = Math.max(1, timeoutNanos / 4);
        checker = ctx.executor().scheduleAtFixedRate(() -> check(ctx), every, every, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        if (System.nanoTime() - lastMessageNanos >= timeoutNanos && ctx.channel().isActive()) {
            cancel();
            metrics.limitClose("idle_timeout");
            disconnector.close(ctx.channel(), CloseCodes.IDLE_TIMEOUT, "idle timeout");
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame
                || msg instanceof ContinuationWebSocketFrame) {
            lastMessageNanos = System.nanoTime();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void cancel() {
        if (checker != null) {
            checker.cancel(false);
            checker = null;
        }
    }
}
