package io.arqonbus.server.internal.transport;

import io.arqonbus.server.internal.session.Disconnector;

import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.server.internal.session.Outbound;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Server keepalive: a ping every interval; a connection from which nothing (pong or any other
 * frame) arrives within the timeout after a ping is closed with 1011. Each ping carries its
 * sequence number (8 bytes, big-endian, 1, 2, …) so a pong can be matched to its ping when
 * debugging a connection.
 */
final class KeepAliveHandler extends ChannelInboundHandlerAdapter {
    private final long intervalNanos;
    private final long timeoutNanos;
    private final Outbound outbound;
    private final Disconnector disconnector;
    private ScheduledFuture<?> pinger;
    private long lastInboundNanos = System.nanoTime();
    private boolean pingOutstanding;
    private long sequence;

    KeepAliveHandler(Duration interval, Duration timeout, Outbound outbound, Disconnector disconnector) {
        this.intervalNanos = interval.toNanos();
        this.timeoutNanos = timeout.toNanos();
        this.outbound = outbound;
        this.disconnector = disconnector;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (intervalNanos > 0) {
            pinger = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), intervalNanos, intervalNanos,
                    TimeUnit.NANOSECONDS);
        }
    }

    /** Every interval: ping a connection that has been quiet, and give it the timeout to answer. */
    private void tick(ChannelHandlerContext ctx) {
        if (pingOutstanding || System.nanoTime() - lastInboundNanos < intervalNanos) {
            return;
        }
        pingOutstanding = true;
        outbound.writeControl(new PingWebSocketFrame(ctx.alloc().buffer(Long.BYTES).writeLong(++sequence)));
        ctx.executor().schedule(() -> {
            if (pingOutstanding && ctx.channel().isActive()) {
                cancel();
                disconnector.close(ctx.channel(), CloseCodes.INTERNAL_ERROR, "keepalive ping timeout");
            }
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastInboundNanos = System.nanoTime();
        pingOutstanding = false;
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
        if (pinger != null) {
            pinger.cancel(false);
            pinger = null;
        }
    }
}
