package io.arqonbus.bench.floor;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * One connection of the path-routing floor: at the upgrade it joins the group named by its URL
 * path (the query is ignored) and gets the welcome frame; every text frame it sends afterwards
 * is forwarded to the group's other members as it came, without looking into it.
 */
final class PathFloorHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    private final Groups groups;
    private Group group;

    PathFloorHandler(Groups groups) {
        this.groups = groups;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
            group = groups.path(new QueryStringDecoder(handshake.requestUri()).path());
            group.join(ctx.channel());
            ctx.writeAndFlush(new TextWebSocketFrame(FloorHandler.WELCOME), ctx.voidPromise());
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
        if (group == null) {
            return;
        }
        var whole = TextFrames.of(ctx.alloc(), frame.content());
        try {
            group.forward(whole, ctx.channel());
        } finally {
            whole.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (group != null) {
            group.leave(ctx.channel());
            group = null;
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
