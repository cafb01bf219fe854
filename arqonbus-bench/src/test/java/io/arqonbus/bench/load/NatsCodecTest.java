package io.arqonbus.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The NATS codec on an embedded channel: the greeting, messages split anywhere by TCP, pings, and
 * the publish operations {@link PublishTemplate} builds for NATS (their byte count must be exact,
 * or nats-server closes the connection). A real nats-server is in {@code NatsWorkloadTest}.
 */
class NatsCodecTest {
    private final List<Object> events = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(new NatsCodec(), new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            TextWebSocketFrame frame = (TextWebSocketFrame) msg;
            events.add(frame.text());
            frame.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }
    });

    @Test
    void infoIsAnsweredWithConnectAndPingAndCompletesTheHandshakeOnce() {
        channel.writeInbound(ascii("INFO {\"server_id\":\"x\",\"max_payload\":1048576}\r\n"));
        channel.writeInbound(ascii("INFO {\"server_id\":\"x\",\"connect_urls\":[]}\r\n"));

        assertThat(written()).startsWith("CONNECT {\"verbose\":false,\"pedantic\":false,").endsWith("}\r\nPING\r\n");
        assertThat(events).containsExactly(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
    }

    @Test
    void messagesSplitAnywhereArePassedOnWholeAndPingsAreAnswered() {
        byte[] stream = ("PONG\r\nMSG bench.c1 1 12\r\n{\"bp\":0,\"x\"}\r\nPING\r\nMSG bench.c1 1 reply.to 2\r\n{}\r\n+OK\r\n"
                + "-ERR 'Unknown Protocol Operation'\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < stream.length; i += 5) {
            channel.writeInbound(Unpooled.wrappedBuffer(stream, i, Math.min(5, stream.length - i)));
        }

        assertThat(events).containsExactly(NatsCodec.PONG, "{\"bp\":0,\"x\"}", "{}", "-ERR 'Unknown Protocol Operation'");
        assertThat(written()).isEqualTo("PONG\r\n");
    }

    @Test
    void aNatsPublishDeclaresItsPayloadsExactByteCount() {
        PublishTemplate template = new PublishTemplate(Dialect.NATS, "bench", "c7", 3, 128);
        for (long seq : new long[] {1, 9, 10, 99_999, 1_000_000_000L}) {
            ByteBuf frame = template.frame(ByteBufAllocator.DEFAULT, seq);
            String text = frame.toString(StandardCharsets.US_ASCII);
            frame.release();
            int lineEnd = text.indexOf("\r\n");
            String[] op = text.substring(0, lineEnd).split(" ");
            String payload = text.substring(lineEnd + 2, text.length() - 2);

            assertThat(op[0]).isEqualTo("PUB");
            assertThat(op[1]).isEqualTo("bench.c7");
            assertThat(Integer.parseInt(op[2])).isEqualTo(payload.length());
            assertThat(payload).startsWith("{\"bp\":3,\"bseq\":" + seq + ",\"bt\":").endsWith("\"}");
            assertThat(text).endsWith("\r\n");
        }
        assertThat(PublishTemplate.digits(0)).isEqualTo(1);
        assertThat(PublishTemplate.digits(-15)).isEqualTo(3);
        assertThat(PublishTemplate.digits(Long.MAX_VALUE)).isEqualTo(19);
        assertThat(PublishTemplate.digits(Long.MIN_VALUE)).isEqualTo(20);
    }

    private String written() {
        StringBuilder out = new StringBuilder();
        for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
            ByteBuf buf = (ByteBuf) o;
            out.append(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }
        return out.toString();
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }
}
