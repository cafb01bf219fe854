package io.arqonbus.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ByteProcessor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The NATS client protocol (docs.nats.io, "Client Protocol") on the load tool's own Netty
 * transport, so a NATS subscriber costs the tool what a WebSocket subscriber does: one event-loop
 * channel, one timestamp per received message, no thread of its own. ({@code io.nats:jnats} gives
 * every connection its own reader and writer threads; a thousand subscribers would be thousands of
 * threads competing with the server for the machine.) The codec is written by hand because it sits
 * on the hot path of every delivery and speaks only the few operations a bench needs:
 *
 * <ul>
 *   <li>inbound {@code INFO}: answered once with {@code CONNECT} (not verbose, not pedantic) and
 *       {@code PING}; then the WebSocket dialects' "handshake complete" event is fired, so
 *       {@link BenchConnection} treats NATS like the others;</li>
 *   <li>inbound {@code MSG <subject> <sid> [reply-to] <bytes>}: the payload is passed on as a
 *       {@link TextWebSocketFrame} (a retained slice, no copy);</li>
 *   <li>inbound {@code PONG}: passed on as the text {@value #PONG} (the greeting's and a join's
 *       confirmation: a {@code PING} after {@code SUB} is answered after the subscription took
 *       effect);</li>
 *   <li>inbound {@code PING}: answered with {@code PONG}; {@code -ERR …} is passed on as text;
 *       {@code +OK} and later {@code INFO}s are dropped;</li>
 *   <li>outbound: a {@link TextWebSocketFrame}'s content is written as is; the dialect and
 *       {@link PublishTemplate} build complete protocol text ({@code SUB …}, {@code PUB …}).</li>
 * </ul>
 */
public final class NatsCodec extends CombinedChannelDuplexHandler<NatsCodec.Decoder, NatsCodec.Encoder> {
    /** The text a {@code PONG} is passed on as. */
    public static final String PONG = "PONG";
    /** A control line longer than this is a protocol error (the server's own limit is 4 KiB). */
    static final int MAX_CONTROL_LINE = 4096;

    private static final byte[] CONNECT = ("CONNECT {\"verbose\":false,\"pedantic\":false,\"tls_required\":false,"
            + "\"name\":\"arqon-bench\",\"lang\":\"java\",\"version\":\"1\",\"protocol\":1,\"echo\":true}\r\nPING\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG_LINE = "PONG\r\n".getBytes(StandardCharsets.US_ASCII);

    public NatsCodec() {
        super(new Decoder(), new Encoder());
    }

    /** Inbound: NATS operations to frames and events (see the class comment). */
    static final class Decoder extends ByteToMessageDecoder {
        private boolean connected;

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws IOException {
            while (in.isReadable()) {
                int start = in.readerIndex();
                int lf = in.forEachByte(start, Math.min(in.readableBytes(), MAX_CONTROL_LINE), ByteProcessor.FIND_LF);
                if (lf < 0) {
                    if (in.readableBytes() >= MAX_CONTROL_LINE) {
                        throw new IOException("NATS control line longer than " + MAX_CONTROL_LINE + " bytes");
                    }
                    return;
                }
                int lineEnd = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
                byte first = in.getByte(start);
                if (first == 'M') {
                    int length = lastNumber(in, start, lineEnd);
                    int payloadAt = lf + 1;
                    if (in.writerIndex() < payloadAt + length + 2) {
                        return;
                    }
                    out.add(new TextWebSocketFrame(in.retainedSlice(payloadAt, length)));
                    in.readerIndex(payloadAt + length + 2);
                    continue;
                }
                in.readerIndex(lf + 1);
                if (first == 'P' && lineEnd - start >= 4 && in.getByte(start + 1) == 'I') {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(PONG_LINE), ctx.voidPromise());
                } else if (first == 'P') {
                    out.add(new TextWebSocketFrame(PONG));
                } else if (first == 'I' && !connected) {
                    connected = true;
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(CONNECT), ctx.voidPromise());
                    ctx.fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
                } else if (first == '-') {
                    out.add(new TextWebSocketFrame(in.toString(start, lineEnd - start, StandardCharsets.UTF_8)));
                }
            }
        }

        /** The number that ends the control line {@code [start, end)} (a MSG's byte count). */
        private static int lastNumber(ByteBuf in, int start, int end) throws IOException {
            int value = 0;
            int scale = 1;
            int at = end - 1;
            while (at > start && in.getByte(at) >= '0' && in.getByte(at) <= '9') {
                value += (in.getByte(at) - '0') * scale;
                scale *= 10;
                at--;
            }
            if (scale == 1 || scale > 100_000_000) {
                throw new IOException("malformed NATS MSG line: " + in.toString(start, end - start, StandardCharsets.UTF_8));
            }
            return value;
        }
    }

    /** Outbound: a frame's content is already protocol text. */
    static final class Encoder extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof TextWebSocketFrame frame) {
                ctx.write(frame.content(), promise);
            } else {
                ctx.write(msg, promise);
            }
        }
    }
}
