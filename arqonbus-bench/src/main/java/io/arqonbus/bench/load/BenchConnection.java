package io.arqonbus.bench.load;

import static io.arqonbus.bench.scan.ByteScan.NO_NUMBER;
import static io.arqonbus.bench.scan.ByteScan.readLong;
import static io.arqonbus.bench.scan.ByteScan.valueIndex;

import io.arqonbus.bench.scan.ByteScan;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * One load-generator connection. It becomes ready after the WebSocket upgrade and the dialect's
 * greeting (the welcome frame, Socket.IO's open and connect packets, or NATS's {@code PONG} to the
 * first {@code PING}, see {@link NatsCodec}); a subscriber then joins
 * its channel. In steady state a subscriber scans each text frame for {@code "bp":},
 * {@code "bseq":} and {@code "bt":} and parses nothing else; everything else a connection
 * receives (acks, notices) is discarded, unless a publisher was given a {@link ReplyHandler}.
 * Socket.IO pings ({@code 2}) are answered ({@code 3}).
 */
public final class BenchConnection extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    /** What the connection is for. */
    public enum Role { SUBSCRIBER, PUBLISHER, IDLE }

    private enum State { CONNECTING, GREETING, READY, JOINING, JOINED, CLOSED }

    private static final byte[] PUBLISHER = ByteScan.marker("\"bp\":");
    private static final byte[] SEQ = ByteScan.marker("\"bseq\":");
    private static final byte[] TIME = ByteScan.marker("\"bt\":");

    private final Dialect dialect;
    private final Role role;
    private final SeqTracker tracker;
    private final CompletableFuture<BenchConnection> ready = new CompletableFuture<>();
    private final CompletableFuture<BenchConnection> joined = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile State state = State.CONNECTING;
    private volatile boolean closing;
    private volatile boolean dropped;
    /** The close code the server sent, or 1006 when the connection ended without a close frame. */
    private volatile int closeCode = 1006;
    private volatile String closeReason = "";
    private volatile ReplyHandler replies;
    private LoopStats stats;
    /** A subscriber's copy of the frame being scanned (grown to the largest frame; loop-confined). */
    private byte[] scratch = new byte[512];
    private Channel channel;
    private String joinId;

    BenchConnection(Dialect dialect, Role role, SeqTracker tracker) {
        this.dialect = dialect;
        this.role = role;
        this.tracker = tracker;
    }

    /** Completes when the connection may subscribe or publish. */
    public CompletableFuture<BenchConnection> ready() {
        return ready;
    }

    /** Completes when the join was confirmed. */
    public CompletableFuture<BenchConnection> joined() {
        return joined;
    }

    /** Completes when the connection closed, for whatever reason. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** Whether it closed after it was ready without this side asking. */
    public boolean dropped() {
        return dropped;
    }

    /** The server's close code (1006: no close frame arrived), meaningful once {@link #closed()} completed. */
    public int closeCode() {
        return closeCode;
    }

    /** The server's close reason, empty when none was sent. */
    public String closeReason() {
        return closeReason;
    }

    public Channel channel() {
        return channel;
    }

    /** What the connection is for. */
    public Role role() {
        return role;
    }

    public SeqTracker tracker() {
        return tracker;
    }

    /** The stats of the connection's event loop (known once the channel was initialised). */
    LoopStats stats() {
        return stats;
    }

    /** Hands every frame a ready publisher receives to {@code handler} (set it before publishing). */
    public void replies(ReplyHandler handler) {
        this.replies = handler;
    }

    /** Sends the join request for {@code room:channel}; completes {@link #joined()} on the reply. */
    public void join(String room, String channelName, String requestId) {
        channel.eventLoop().execute(() -> {
            if (state != State.READY) {
                joined.completeExceptionally(new IOException("join before the connection was ready (" + state + ")"));
                return;
            }
            if (!dialect.joins()) {
                state = State.JOINED;
                joined.complete(this);
                return;
            }
            state = State.JOINING;
            joinId = requestId;
            channel.writeAndFlush(new TextWebSocketFrame(dialect.joinFrame(room, channelName, requestId)));
        });
    }

    /** Closes it on purpose (not a drop). */
    public void close() {
        closing = true;
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    void attach(LoopStats loopStats) {
        this.stats = loopStats;
    }

    /** The TCP connect itself failed (no channel became active). */
    void connectFailed(Throwable cause) {
        state = State.CLOSED;
        ready.completeExceptionally(cause);
        joined.completeExceptionally(cause);
        closed.complete(null);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            state = State.GREETING;
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            fail(ctx, new IOException("WebSocket handshake timed out"));
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof CloseWebSocketFrame close) {
            try {
                closeCode = close.statusCode() < 0 ? 1005 : close.statusCode();
                closeReason = close.reasonText();
            } finally {
                close.release();
            }
            ctx.close();
            return;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
        ByteBuf content = frame.content();
        if (dialect.socketIo() && content.readableBytes() == 1 && content.getByte(content.readerIndex()) == '2') {
            ctx.writeAndFlush(new TextWebSocketFrame("3"), ctx.voidPromise());
            return;
        }
        State now = state;
        if (now == State.JOINED || now == State.READY) {
            if (role == Role.SUBSCRIBER) {
                delivery(content);
            } else if (replies != null) {
                replies.reply(content);
            }
            return;
        }
        if (now == State.GREETING) {
            greeting(ctx, content.toString(StandardCharsets.UTF_8));
        } else if (now == State.JOINING) {
            String outcome = dialect.joinReply(content.toString(StandardCharsets.UTF_8), joinId);
            if (outcome != null && outcome.isEmpty()) {
                state = State.JOINED;
                joined.complete(this);
            } else if (outcome != null) {
                joined.completeExceptionally(new IOException(outcome));
                fail(ctx, new IOException(outcome));
            }
        }
    }

    private void greeting(ChannelHandlerContext ctx, String text) {
        if (dialect.socketIo()) {
            if (text.startsWith("0{")) {
                ctx.writeAndFlush(new TextWebSocketFrame("40"), ctx.voidPromise());
            } else if (text.startsWith("40")) {
                becomeReady();
            } else if (text.startsWith("44")) {
                fail(ctx, new IOException("socket.io refused the connection: " + text));
            }
        } else if (dialect.nats() ? text.equals(NatsCodec.PONG) : text.contains("\"welcome\"")) {
            becomeReady();
        }
    }

    private void becomeReady() {
        state = State.READY;
        ready.complete(this);
    }

    private void delivery(ByteBuf content) {
        long receivedAt = System.nanoTime();
        int length = content.readableBytes();
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        byte[] bytes = scratch;
        content.getBytes(content.readerIndex(), bytes, 0, length);
        int at = valueIndex(bytes, length, PUBLISHER, 0);
        if (at < 0) {
            return;
        }
        long publisher = readLong(bytes, length, at);
        int seqAt = valueIndex(bytes, length, SEQ, at);
        long seq = seqAt < 0 ? NO_NUMBER : readLong(bytes, length, seqAt);
        int timeAt = seqAt < 0 ? -1 : valueIndex(bytes, length, TIME, seqAt);
        long sentAt = timeAt < 0 ? NO_NUMBER : readLong(bytes, length, timeAt);
        if (publisher == NO_NUMBER || seq == NO_NUMBER || sentAt == NO_NUMBER || publisher > Integer.MAX_VALUE) {
            stats.countUnexpected();
            return;
        }
        if (tracker.arrived((int) publisher, seq, stats)) {
            stats.delivered((int) publisher, receivedAt - sentAt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        State was = state;
        state = State.CLOSED;
        if (!closing && (was == State.READY || was == State.JOINING || was == State.JOINED)) {
            dropped = true;
        }
        IOException gone = new IOException("connection closed by the server while " + was.name().toLowerCase());
        ready.completeExceptionally(gone);
        joined.completeExceptionally(gone);
        closed.complete(null);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause);
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        ready.completeExceptionally(cause);
        joined.completeExceptionally(cause);
        ctx.close();
    }
}
