package io.arqonbus.server.internal.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.arqonbus.server.internal.async.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each aggregated request of one connection into an {@link HttpCall}, routes it and writes
 * the answer. Answers are written in request order even when an endpoint answers later (HTTP/1.1
 * pipelining). A request the codec could not parse is answered 400 and the connection closed; an
 * endpoint that fails is answered 500. Keep-alive is handled by the
 * {@link io.netty.handler.codec.http.HttpServerKeepAliveHandler} before this handler; an idle
 * connection is closed.
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRequestHandler.class);

    private final HttpRouter router;
    /** Completes when the previous answer of this connection was handed to the channel. */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    HttpRequestHandler(HttpRouter router) {
        this.router = router;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpVersion version = request.protocolVersion();
        if (request.decoderResult().isFailure()) {
            String reason = String.valueOf(request.decoderResult().cause().getMessage());
            log.debug("event=http_bad_request remote={} reason=\"{}\"", ctx.channel().remoteAddress(), reason);
            enqueue(ctx, version, false, true, "?",
                    CompletableFuture.completedFuture(HttpAnswer.error(HttpResponseStatus.BAD_REQUEST,
                            "The request could not be parsed as HTTP/1.1")));
            return;
        }
        HttpCall call;
        try {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            call = new HttpCall(request.method(), uri.path(), uri.parameters(), request.headers().copy(),
                    io.netty.buffer.ByteBufUtil.getBytes(request.content()));
        } catch (IllegalArgumentException e) {
            enqueue(ctx, version, false, true, "?",
                    CompletableFuture.completedFuture(HttpAnswer.error(HttpResponseStatus.BAD_REQUEST,
                            "The request target is not a valid URI")));
            return;
        }
        boolean head = HttpMethod.HEAD.equals(request.method());
        enqueue(ctx, version, head, false, call.path(), answer(call));
    }

    private CompletableFuture<HttpAnswer> answer(HttpCall call) {
        CompletableFuture<HttpAnswer> stage;
        try {
            stage = router.route(call).toCompletableFuture();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return stage.handle((answer, error) -> {
            if (error == null && answer != null) {
                return answer;
            }
            Throwable cause = Failures.unwrap(error);
            log.warn("event=http_endpoint_failed path={} error=\"{}\"", call.path(), cause, cause);
            return HttpAnswer.error(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "The server failed to answer " + call.path());
        });
    }

    /** Writes {@code answer} after every earlier answer of this connection. */
    private void enqueue(ChannelHandlerContext ctx, HttpVersion version, boolean head, boolean close, String path,
            CompletableFuture<HttpAnswer> answer) {
        tail = tail.thenCombine(answer, (ignored, a) -> a).thenAccept(a -> {
            try {
                write(ctx, version, head, close, path, a);
            } catch (RuntimeException e) {
                log.warn("event=http_write_failed path={} error=\"{}\"", path, e.toString());
                ctx.close();
            }
        });
    }

    private static void write(ChannelHandlerContext ctx, HttpVersion version, boolean head, boolean close,
            String path, HttpAnswer answer) {
        ByteBuf content = head || answer.body().length == 0 ? Unpooled.EMPTY_BUFFER
                : Unpooled.wrappedBuffer(answer.body());
        FullHttpResponse response = new DefaultFullHttpResponse(version, answer.status(), content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        for (Map.Entry<String, String> header : answer.headers().entrySet()) {
            response.headers().set(header.getKey(), header.getValue());
        }
        log.debug("event=http_request path={} status={}", path, answer.status().code());
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(response);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            log.debug("event=http_idle_close remote={}", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("event=http_connection_error remote={} error=\"{}\"", ctx.channel().remoteAddress(),
                cause.toString());
        ctx.close();
    }
}
