package io.arqonbus.server.internal.tls;

import io.arqonbus.server.internal.transport.HandlerNames;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;

/**
 * Puts a TLS handler first in a new connection's pipeline, then the port's own initializer behind
 * it, so everything the port reads and writes passes through TLS.
 */
final class TlsChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final SslContext context;
    private final ChannelHandler inner;

    TlsChannelInitializer(SslContext context, ChannelHandler inner) {
        this.context = context;
        this.inner = inner;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(HandlerNames.TLS, context.newHandler(ch.alloc()));
        ch.pipeline().addLast(inner);
    }
}
