package io.arqonbus.server.internal.http;

import io.arqonbus.server.internal.transport.HandlerNames;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP port (protocol §9): HTTP/1.1 with keep-alive, requests up to 64 KiB (under {@code /api/}, the API's body limit), idle connections
 * closed after a minute, answered by an {@link HttpRouter}.
 *
 * <p>Pipeline: {@code http-codec} → {@code http-keepalive} → {@code http-idle} →
 * {@code http-aggregator} → {@code http-api}.
 */
public final class HttpApiServer extends ChannelInitializer<SocketChannel> {
    /** The largest request (headers aside) the port aggregates. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** How long a connection may stay without traffic. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final HttpRouter router;
    private final long idleMillis;
    private final int maxRequestBytes;

    public HttpApiServer(HttpRouter router) {
        this(router, DEFAULT_IDLE_TIMEOUT);
    }

    public HttpApiServer(HttpRouter router, Duration idleTimeout) {
        this(router, idleTimeout, MAX_REQUEST_BYTES);
    }

    /**
     * @param maxRequestBytes the largest request body under {@code /api/} (the HTTP API's
     *                        {@code ARQONBUS_API_MAX_BODY_BYTES}); elsewhere it stays {@link #MAX_REQUEST_BYTES}
     */
    public HttpApiServer(HttpRouter router, Duration idleTimeout, int maxRequestBytes) {
        this.router = router;
        this.idleMillis = idleTimeout.toMillis();
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline()
                .addLast(HandlerNames.HTTP_CODEC, new HttpServerCodec())
                .addLast(HandlerNames.HTTP_KEEPALIVE, new HttpServerKeepAliveHandler())
                .addLast(HandlerNames.HTTP_IDLE, new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS))
                .addLast(HandlerNames.HTTP_AGGREGATOR, new JsonHttpObjectAggregator(maxRequestBytes, MAX_REQUEST_BYTES))
                .addLast(HandlerNames.HTTP_API, new HttpRequestHandler(router));
    }
}
