package io.arqonbus.server.internal.transport;

import io.arqonbus.server.internal.session.Disconnector;

import io.arqonbus.protocol.CloseCodes;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last in every WebSocket pipeline: ignores the noise of peers that went away, hands a failure to
 * get memory to the {@link OutOfMemoryGuard}, logs anything else unexpected once per connection,
 * and closes the connection through the {@link Disconnector} with 1011.
 */
@ChannelHandler.Sharable
public final class ExceptionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ExceptionHandler.class);
    private static final AttributeKey<Boolean> LOGGED = AttributeKey.valueOf("arqonbus.unexpectedErrorLogged");
    private final Disconnector disconnector;
    private final OutOfMemoryGuard outOfMemory;

    public ExceptionHandler(Disconnector disconnector, OutOfMemoryGuard outOfMemory) {
        this.disconnector = disconnector;
        this.outOfMemory = outOfMemory;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        OutOfMemoryError oom = OutOfMemoryGuard.find(cause);
        if (oom != null) {
            outOfMemory.outOfMemory(ctx.channel(), oom);
            return;
        }
        if (cause instanceof IOException || cause instanceof ClosedChannelException) {
            log.atDebug()
                    .addKeyValue("event", "connection_error")
                    .addKeyValue("remote", ctx.channel().remoteAddress())
                    .addKeyValue("error", cause.toString())
                    .log("connection_error");
            ctx.close();
            return;
        }
        if (cause instanceof DecompressionException || cause.getCause() instanceof DecompressionException) {
            // permessage-deflate: the frame inflates past the maximum frame size.
            log.atDebug()
                    .addKeyValue("event", "protocol_error")
                    .addKeyValue("code", "1009")
                    .addKeyValue("remote", ctx.channel().remoteAddress())
                    .addKeyValue("error", cause.toString())
                    .log("protocol_error");
            disconnector.close(ctx.channel(), CloseCodes.MESSAGE_TOO_BIG, "frame larger than the maximum frame size "
                    + "once decompressed");
            return;
        }
        if (cause instanceof CorruptedFrameException || cause instanceof DecoderException) {
            // Netty's WebSocket decoder has already answered with a close code (1002, 1007, 1009).
            log.atDebug()
                    .addKeyValue("event", "protocol_error")
                    .addKeyValue("remote", ctx.channel().remoteAddress())
                    .addKeyValue("error", cause.toString())
                    .log("protocol_error");
            if (ctx.channel().isActive() && !Disconnector.isClosing(ctx.channel())) {
                disconnector.close(ctx.channel(), CloseCodes.PROTOCOL_ERROR, "protocol error");
            }
            return;
        }
        // Once per connection: a connection whose every frame fails would otherwise log each one.
        if (ctx.channel().attr(LOGGED).setIfAbsent(Boolean.TRUE) == null) {
            log.atWarn().setCause(cause)
                    .addKeyValue("event", "unexpected_error")
                    .addKeyValue("code", "INTERNAL_ERROR")
                    .addKeyValue("remote", ctx.channel().remoteAddress())
                    .addKeyValue("msg", "Closing the connection after an unexpected error")
                    .log("unexpected_error");
        } else {
            log.atDebug()
                    .addKeyValue("event", "unexpected_error")
                    .addKeyValue("code", "INTERNAL_ERROR")
                    .addKeyValue("remote", ctx.channel().remoteAddress())
                    .addKeyValue("error", cause.toString())
                    .log("unexpected_error");
        }
        disconnector.close(ctx.channel(), CloseCodes.INTERNAL_ERROR, "server error");
    }
}
