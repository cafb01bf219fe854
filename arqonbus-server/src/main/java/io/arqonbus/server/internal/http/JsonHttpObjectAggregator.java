package io.arqonbus.server.internal.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Aggregates requests up to a limit; a larger one is answered with a JSON 413 (for {@code /api/}, the
 * API's error shape with code {@code PAYLOAD_TOO_LARGE}) and the connection closed.
 */
final class JsonHttpObjectAggregator extends HttpObjectAggregator {
    /** Under this prefix the refusal has the HTTP API's error shape. */
    private static final String API_PREFIX = "/api/";
    private final int maxContentLength;
    private final int maxOtherLength;

    JsonHttpObjectAggregator(int maxContentLength) {
        this(maxContentLength, maxContentLength);
    }

    /**
     * @param maxApiLength   the largest body under {@code /api/}
     * @param maxOtherLength the largest declared body elsewhere (the other endpoints read none)
     */
    JsonHttpObjectAggregator(int maxApiLength, int maxOtherLength) {
        super(Math.max(maxApiLength, maxOtherLength));
        this.maxContentLength = Math.max(maxApiLength, maxOtherLength);
        this.maxOtherLength = maxOtherLength;
    }

    @Override
    protected boolean isContentLengthInvalid(HttpMessage start, int maxContentLength) {
        return super.isContentLengthInvalid(start, limitOf(start));
    }

    private int limitOf(HttpMessage message) {
        return message instanceof HttpRequest request && !request.uri().startsWith(API_PREFIX)
                ? maxOtherLength : maxContentLength;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest request)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        String sentence = "The request body is larger than " + limitOf(request) + " bytes";
        HttpAnswer answer = request.uri().startsWith(API_PREFIX)
                ? HttpAnswer.apiError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "PAYLOAD_TOO_LARGE", sentence)
                : HttpAnswer.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, sentence);
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), answer.status(),
                Unpooled.wrappedBuffer(answer.body()));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
