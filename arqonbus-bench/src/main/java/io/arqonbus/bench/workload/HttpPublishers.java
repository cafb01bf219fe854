package io.arqonbus.bench.workload;

import io.arqonbus.bench.net.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * HTTP/1.1 keep-alive publishers on Netty: each connection sends one request, waits for its answer, sends the
 * next (a closed loop), until the source of bodies says stop. One write per request (headers and body
 * together, {@code TCP_NODELAY}).
 */
final class HttpPublishers implements AutoCloseable {
    /** What one answer was. */
    interface Answers {
        void answered(int seq, int status, String body, long nanos);

        void failed(int seq, Throwable error);
    }

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final URI uri;
    private final String apiKey;

    HttpPublishers(int threads, URI uri, String apiKey) {
        NettyTransport transport = NettyTransport.select();
        this.group = transport.newGroup(threads, "bench-http");
        this.uri = uri;
        this.apiKey = apiKey;
        this.bootstrap = new Bootstrap().group(group).channel(transport.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    }

    /**
     * Opens one connection that publishes the bodies {@code bodies} gives for increasing sequence numbers from
     * {@code seqs} ({@code null} body: stop); the stage completes when it stopped or failed.
     */
    CompletableFuture<Void> start(java.util.function.IntSupplier seqs, IntFunction<String> bodies, Answers answers) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1024 * 1024),
                        new Loop(seqs, bodies, answers, done));
            }
        }).connect(new InetSocketAddress(uri.getHost(), uri.getPort())).addListener(f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(f.cause());
            }
        });
        return done;
    }

    private final class Loop extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final java.util.function.IntSupplier seqs;
        private final IntFunction<String> bodies;
        private final Answers answers;
        private final CompletableFuture<Void> done;
        private int seq = -1;
        private long sentAt;

        Loop(java.util.function.IntSupplier seqs, IntFunction<String> bodies, Answers answers,
                CompletableFuture<Void> done) {
            this.seqs = seqs;
            this.bodies = bodies;
            this.answers = answers;
            this.done = done;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            next(ctx);
        }

        private void next(ChannelHandlerContext ctx) {
            seq = seqs.getAsInt();
            String body = seq < 0 ? null : bodies.apply(seq);
            if (body == null) {
                seq = -1;
                done.complete(null);
                ctx.close();
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                    uri.getRawPath(), Unpooled.wrappedBuffer(bytes));
            request.headers().set(HttpHeaderNames.HOST, uri.getHost() + ":" + uri.getPort())
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
            if (apiKey != null) {
                request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + apiKey);
            }
            sentAt = System.nanoTime();
            ctx.writeAndFlush(request);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            answers.answered(seq, response.status().code(), response.content().toString(StandardCharsets.UTF_8),
                    System.nanoTime() - sentAt);
            next(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (seq >= 0) {
                answers.failed(seq, new IllegalStateException("the server closed the connection"));
            }
            done.complete(null);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (seq >= 0) {
                answers.failed(seq, cause);
                seq = -1;
            }
            done.completeExceptionally(cause);
            ctx.close();
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
