package io.arqonbus.server.internal.transport;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;

/**
 * The bus pipeline before the upgrade: the handshake timeout, HTTP codec, aggregator, optional permessage-deflate
 * negotiation, the handshake, and the exception handler. The handshake replaces itself with the
 * keepalive and frame handlers once the connection is a WebSocket.
 */
public final class BusChannelInitializer extends ChannelInitializer<SocketChannel> {
    /** Largest handshake request accepted. */
    static final int MAX_HANDSHAKE_BYTES = 16 * 1024;

    private final BusDependencies deps;
    private final PendingHandshakes pending;

    public BusChannelInitializer(BusDependencies deps) {
        this.deps = deps;
        this.pending = PendingHandshakes.of(deps.config().limits().maxPendingHandshakes(),
                deps.config().timeouts().handshakeTimeout());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast(HandlerNames.HANDSHAKE_TIMEOUT, new HandshakeTimeoutHandler(deps.config().timeouts().handshakeTimeout(),
                deps.metrics()));
        p.addLast(HandlerNames.HTTP_CODEC, new HttpServerCodec());
        p.addLast(HandlerNames.HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_HANDSHAKE_BYTES));
        if (deps.config().listeners().compression()) {
            // A compressed frame inflates to at most the maximum frame size (1009 past it): without a
            // bound, a small frame of zeros would take as much memory as it inflates to.
            p.addLast(HandlerNames.WS_COMPRESSION, new WebSocketServerCompressionHandler(deps.config().limits().maxFrameSize()));
        }
        p.addLast(HandlerNames.HANDSHAKE, new HandshakeHandler(deps, pending));
        p.addLast(HandlerNames.EXCEPTION, deps.exceptionHandler());
    }
}
