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
            log.atDebug()
                    .addKeyValue("event", "http_bad_request")
                    .addKeyValue("remote", ctx.channel().remoteAddress())
                    .addKeyValue("reason", reason)
                    .log("http_bad_request");
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
            log.atWarn().setCause(cause)
                    .addKeyValue("event", "http_endpoint_failed")
                    .addKeyValue("path", call.path())
                    .addKeyValue("error", cause)
                    .log("http_endpoint_failed");
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
                log.atWarn()
                        .addKeyValue("event", "http_write_failed")
                        .addKeyValue("path", path)
                        .addKeyValue("error", e.toString())
                        .log("http_write_failed");
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
        log.atDebug()
                .addKeyValue("event", "http_request")
                .addKeyValue("path", path)
                .addKeyValue("status", answer.status().code())
                .log("http_request");
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
            log.atDebug()
                    .addKeyValue("event", "http_idle_close")
                    .addKeyValue("remote", ctx.channel().remoteAddress())
                    .log("http_idle_close");
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.atDebug()
                .addKeyValue("event", "http_connection_error")
                .addKeyValue("remote", ctx.channel().remoteAddress())
                .addKeyValue("error", cause.toString())
                .log("http_connection_error");
        ctx.close();
    }
}
