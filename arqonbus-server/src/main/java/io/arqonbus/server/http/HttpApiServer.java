package io.arqonbus.server.http;

import io.arqonbus.server.transport.HandlerNames;
import io.arqonbus.server.transport.HttpResponses;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;

/** The HTTP port (protocol §10). */
public final class HttpApiServer extends ChannelInitializer<SocketChannel> {
    private final HttpApi api;

    public HttpApiServer(HttpApi api) {
        this.api = api;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline()
                .addLast(HandlerNames.HTTP_CODEC, new HttpServerCodec())
                .addLast(HandlerNames.HTTP_AGGREGATOR, new HttpObjectAggregator(64 * 1024))
                .addLast(HandlerNames.HTTP_API, new SimpleChannelInboundHandler<FullHttpRequest>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                        api.handle(ctx, request);
                    }
                });
    }

    /** Answers one request. */
    public interface HttpApi {
        void handle(ChannelHandlerContext ctx, FullHttpRequest request);

        /** Answers 404 to everything. */
        static HttpApi notFound() {
            return (ctx, request) -> HttpResponses.sendAndClose(ctx, HttpResponses.json(HttpResponseStatus.NOT_FOUND,
                    "{\"error\":\"Not Found\"}"));
        }
    }
}
