package io.arqonbus.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A raw WebSocket client on Netty for tests that need what a polite client never does: send
 * arbitrary text bytes (invalid UTF-8), binary and fragmented frames, stop reading altogether,
 * negotiate permessage-deflate, and see the server's pings and the exact close code.
 */
public final class RawWebSocket implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Connection options. */
    public record Options(Map<String, String> headers, boolean compression, int receiveBuffer,
            boolean answerPings, int maxFramePayload, boolean countOnly) {
        public static Options defaults() {
            return new Options(Map.of(), false, 0, true, 64 * 1024 * 1024, false);
        }

        public Options withHeaders(Map<String, String> value) {
            return new Options(value, compression, receiveBuffer, answerPings, maxFramePayload, countOnly);
        }

        public Options withCompression() {
            return new Options(headers, true, receiveBuffer, answerPings, maxFramePayload, countOnly);
        }

        public Options withReceiveBuffer(int bytes) {
            return new Options(headers, compression, bytes, answerPings, maxFramePayload, countOnly);
        }

        public Options withoutPongs() {
            return new Options(headers, compression, receiveBuffer, false, maxFramePayload, countOnly);
        }

        /** Keeps only the welcome; later frames are counted, not stored (for high-volume tests). */
        public Options countingOnly() {
            return new Options(headers, compression, receiveBuffer, answerPings, maxFramePayload, true);
        }
    }

    /** A close frame the server sent. */
    public record Close(int code, String reason) {
    }

    // Filled on the client's event loop: a lock-free queue, so adding never parks that loop (BlockHound).
    private final BlockingQueue<String> texts = new LinkedTransferQueue<>();
    private final java.util.concurrent.atomic.AtomicLong counted = new java.util.concurrent.atomic.AtomicLong();
    private volatile String lastCounted;
    private final List<byte[]> pings = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Close> closeFrame = new CompletableFuture<>();
    private final CompletableFuture<Void> handshake = new CompletableFuture<>();
    private volatile String extensionsHeader;
    private Channel channel;

    private RawWebSocket() {
    }

    /** Connects and completes after the WebSocket handshake (the welcome has not been read yet). */
    public static RawWebSocket connect(EventLoopGroup group, URI uri, Options options) {
        RawWebSocket ws = new RawWebSocket();
        HttpHeaders headers = new DefaultHttpHeaders();
        options.headers().forEach(headers::add);
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri,
                WebSocketVersion.V13, null, true, headers, options.maxFramePayload());
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024));
                        if (options.compression()) {
                            ch.pipeline().addLast(WebSocketClientCompressionHandler.INSTANCE);
                        }
                        ch.pipeline().addLast(ws.new Handler(handshaker, options.answerPings(), options.countOnly()));
                    }
                });
        if (options.receiveBuffer() > 0) {
            bootstrap.option(ChannelOption.SO_RCVBUF, options.receiveBuffer());
        }
        ws.channel = bootstrap.connect(uri.getHost(), uri.getPort()).syncUninterruptibly().channel();
        ws.channel.closeFuture().addListener(f -> {
            ws.handshake.completeExceptionally(new IllegalStateException("closed before the handshake"));
            ws.closeFrame.complete(new Close(1006, "no close frame"));
        });
        ws.handshake.orTimeout(ArqonBusExtension.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        return ws;
    }

    private final class Handler extends SimpleChannelInboundHandler<Object> {
        private final WebSocketClientHandshaker handshaker;
        private final boolean answerPings;
        private final boolean countOnly;
        private boolean first = true;

        Handler(WebSocketClientHandshaker handshaker, boolean answerPings, boolean countOnly) {
            this.handshaker = handshaker;
            this.answerPings = answerPings;
            this.countOnly = countOnly;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            handshaker.handshake(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (!handshaker.isHandshakeComplete() && msg instanceof FullHttpResponse response) {
                extensionsHeader = response.headers().get("sec-websocket-extensions");
                try {
                    handshaker.finishHandshake(ctx.channel(), response);
                    handshake.complete(null);
                } catch (RuntimeException e) {
                    handshake.completeExceptionally(e);
                    ctx.close();
                }
                return;
            }
            if (!(msg instanceof WebSocketFrame frame)) {
                return;
            }
            switch (frame) {
                case TextWebSocketFrame text -> {
                    if (countOnly && !first) {
                        lastCounted = text.text();
                        counted.incrementAndGet();
                    } else {
                        texts.add(text.text());
                    }
                    first = false;
                }
                case PingWebSocketFrame ping -> {
                    pings.add(ByteBufUtil.getBytes(ping.content()));
                    if (answerPings) {
                        ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                    }
                }
                case CloseWebSocketFrame close -> {
                    closeFrame.complete(new Close(close.statusCode(), close.reasonText()));
                    ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), "")).addListener(f -> ctx.close());
                }
                default -> { }
            }
        }
    }

    /** Sends one JSON object as a text frame. */
    public void send(String json) {
        channel.writeAndFlush(new TextWebSocketFrame(json)).syncUninterruptibly();
    }

    /** Sends these exact bytes as one text frame (e.g. invalid UTF-8). */
    public void sendTextBytes(byte[] bytes) {
        channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes))).syncUninterruptibly();
    }

    /** Sends a binary frame. */
    public void sendBinary(byte[] bytes) {
        channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes))).syncUninterruptibly();
    }

    /** Sends any frame. */
    public void sendFrame(WebSocketFrame frame) {
        channel.writeAndFlush(frame).syncUninterruptibly();
    }

    /** Stops reading from the socket: the server's writes pile up in the kernel and then in its buffers. */
    public void stopReading() {
        channel.config().setAutoRead(false);
        channel.eventLoop().submit(() -> null).syncUninterruptibly();
    }

    /** This client's end of the connection (the server sees it as the remote address). */
    public SocketAddress localAddress() {
        return channel.localAddress();
    }

    /** Reads again after {@link #stopReading()}. */
    public void resumeReading() {
        channel.config().setAutoRead(true);
        channel.read();
    }

    /** The next text frame as JSON. */
    public JsonNode next(Duration timeout) throws TimeoutException {
        return json(nextText(timeout));
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the server sent a frame that is not JSON", e);
        }
    }

    /** The next text frame as the server wrote it. */
    public String nextText(Duration timeout) throws TimeoutException {
        try {
            String text = texts.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (text == null) {
                throw new TimeoutException("no frame within " + timeout);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Skips frames until one whose text matches, and returns that text. */
    public String awaitText(Predicate<String> match, Duration timeout) throws TimeoutException {
        return awaitFrame(java.util.function.Function.identity(), match, timeout);
    }

    /** Skips frames until one matches. */
    public JsonNode await(Predicate<JsonNode> match, Duration timeout) throws TimeoutException {
        return awaitFrame(RawWebSocket::json, match, timeout);
    }

    private <T> T awaitFrame(java.util.function.Function<String, T> read, Predicate<T> match, Duration timeout)
            throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("no matching frame within " + timeout);
            }
            T frame = read.apply(nextText(Duration.ofNanos(left)));
            if (match.test(frame)) {
                return frame;
            }
        }
    }

    /** Every text frame received and not yet read. */
    public List<JsonNode> drain() {
        List<String> raw = new ArrayList<>();
        texts.drainTo(raw);
        List<JsonNode> out = new ArrayList<>();
        for (String text : raw) {
            try {
                out.add(MAPPER.readTree(text));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** Text frames counted (not stored) after the welcome, with {@link Options#countingOnly()}. */
    public long counted() {
        return counted.get();
    }

    /** The last counted text frame. */
    public String lastCounted() {
        return lastCounted;
    }

    /** The payloads of the pings the server sent. */
    public List<byte[]> pings() {
        return pings;
    }

    /** Completes with the server's close frame (1006 when the socket ended without one). */
    public CompletableFuture<Close> closeFrame() {
        return closeFrame;
    }

    /** Whether the TCP connection is still open. */
    public boolean isOpen() {
        return channel.isActive();
    }

    /** The negotiated {@code Sec-WebSocket-Extensions} header, or {@code null}. */
    public String extensions() {
        return extensionsHeader;
    }

    /** Bytes as UTF-8 text, for assertions. */
    public static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (channel != null && channel.isOpen()) {
            channel.close().syncUninterruptibly();
        }
    }
}
