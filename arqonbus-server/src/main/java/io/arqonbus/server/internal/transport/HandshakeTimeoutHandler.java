package io.arqonbus.server.internal.transport;

import io.arqonbus.server.internal.metrics.BusMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that has not completed its WebSocket upgrade within the handshake timeout
 * (a client that opens a socket and sends nothing, or sends a request slowly). Removes itself once
 * the deadline passed, whatever happened. First in the pipeline of both WebSocket ports (bus and
 * telemetry): a connection counts as upgraded once Netty's handshaker has put its WebSocket
 * decoder in place.
 */
public final class HandshakeTimeoutHandler extends ChannelInboundHandlerAdapter {
    private final long timeoutNanos;
    private final BusMetrics metrics;

    public HandshakeTimeoutHandler(Duration timeout, BusMetrics metrics) {
        this.timeoutNanos = timeout.toNanos();
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void expire(ChannelHandlerContext ctx) {
        if (ctx.isRemoved()) {
            return;
        }
        boolean upgraded = ctx.pipeline().get(HandlerNames.WS_DECODER) != null;
        ctx.pipeline().remove(this);
        if (!upgraded && ctx.channel().isActive()) {
            metrics.limitClose("handshake_timeout");
            ctx.channel().close();
        }
    }
}
