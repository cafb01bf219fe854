package io.arqonbus.server.internal.transport;

import io.arqonbus.server.internal.session.Disconnector;

import io.arqonbus.protocol.CloseCodes;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last in every pipeline: ignores the noise of peers that went away, logs anything unexpected
 * once, and closes the connection through the {@link Disconnector} with 1011.
 */
@ChannelHandler.Sharable
public final class ExceptionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ExceptionHandler.class);
    private final Disconnector disconnector;

    public ExceptionHandler(Disconnector disconnector) {
        this.disconnector = disconnector;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause instanceof ClosedChannelException) {
            log.debug("event=connection_error remote={} error=\"{}\"", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
            return;
        }
        if (cause instanceof CorruptedFrameException || cause instanceof DecoderException) {
            // Netty's WebSocket decoder has already answered with a close code (1002, 1007, 1009).
            log.debug("event=protocol_error remote={} error=\"{}\"", ctx.channel().remoteAddress(), cause.toString());
            if (ctx.channel().isActive() && !Disconnector.isClosing(ctx.channel())) {
                disconnector.close(ctx.channel(), CloseCodes.PROTOCOL_ERROR, "protocol error");
            }
            return;
        }
        log.warn("event=unexpected_error code=INTERNAL_ERROR remote={} msg=\"Closing the connection after an unexpected error\"",
                ctx.channel().remoteAddress(), cause);
        disconnector.close(ctx.channel(), CloseCodes.INTERNAL_ERROR, "server error");
    }
}
