package io.arqonbus.server.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.internal.hub.FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session's frame handler on an embedded channel with the real router, hub and commands behind
 * it: text messages (whole or in fragments) are routed, binary and oversized messages refused with
 * an error frame while the connection stays open, pings answered, a close answered with its code.
 */
class BusFrameHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 4096;
    private final EmbeddedConnection conn = new EmbeddedConnection();
    private BusParts parts;

    @BeforeEach
    void open() {
        parts = new BusParts(ServerConfig.builder().host("127.0.0.1").port(0).maxMessageSize(MAX_MESSAGE)
                .maxFrameSize(MAX_MESSAGE).build(), conn.channel);
        InboundFrameDecoder decoder = new InboundFrameDecoder(WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(MAX_MESSAGE).build(), parts.deps.partialInbound(), Duration.ZERO,
                parts.deps.disconnector(), parts.deps.metrics());
        conn.channel.pipeline().addLast(HandlerNames.WS_DECODER, decoder);
        conn.channel.pipeline().addLast(HandlerNames.FRAMES, new BusFrameHandler(parts.deps, conn.session, decoder));
        conn.channel.pipeline().addLast(HandlerNames.EXCEPTION, parts.deps.exceptionHandler());
        parts.lifecycle.opened(conn.session, Map.of());
        assertThat(texts()).anySatisfy(f -> assertThat(f.path("payload").path("welcome").asText())
                .isEqualTo("Connected to ArqonBus"));
    }

    @AfterEach
    void close() throws Exception {
        conn.close();
        parts.close();
    }

    /** The JSON frames the server wrote since the last call (control frames are dropped). */
    private List<JsonNode> texts() {
        List<JsonNode> out = new ArrayList<>();
        for (Object o : conn.written()) {
            try {
                if (o instanceof ByteBuf frame) {
                    out.add(JSON.readTree(FrameEncoder.jsonOf(frame).toString(StandardCharsets.UTF_8)));
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
        return out;
    }

    private static ByteBuf utf8(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    private static JsonNode responseTo(List<JsonNode> frames, String id) {
        return frames.stream().filter(f -> "response".equals(f.path("type").asText())
                && id.equals(f.path("request_id").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no response to " + id + " in " + frames));
    }

    @Test
    void aTextMessageIsRoutedToItsCommand() {
        conn.channel.writeInbound(new TextWebSocketFrame(
                "{\"type\":\"command\",\"command\":\"ping\",\"id\":\"arq_test_ping_1\"}"));
        assertThat(responseTo(texts(), "arq_test_ping_1").path("status").asText()).isEqualTo("success");
    }

    @Test
    void aMessageInFragmentsIsReassembledAndRouted() {
        String message = "{\"type\":\"command\",\"command\":\"ping\",\"id\":\"arq_test_ping_2\"}";
        conn.channel.writeInbound(new TextWebSocketFrame(false, 0, utf8(message.substring(0, 10))));
        conn.channel.writeInbound(new ContinuationWebSocketFrame(false, 0, utf8(message.substring(10, 30))));
        assertThat(texts()).isEmpty();
        conn.channel.writeInbound(new ContinuationWebSocketFrame(true, 0, utf8(message.substring(30))));
        assertThat(responseTo(texts(), "arq_test_ping_2").path("status").asText()).isEqualTo("success");
    }

    @Test
    void aBinaryMessageIsRefusedAndTheConnectionStaysOpen() {
        conn.channel.writeInbound(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {1, 2})));
        conn.channel.writeInbound(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {3})));
        List<JsonNode> frames = texts();
        assertThat(frames).singleElement().satisfies(f -> {
            assertThat(f.path("type").asText()).isEqualTo("error");
            assertThat(f.path("error_code").asText()).isEqualTo(ErrorCode.UNSUPPORTED_FRAME.name());
        });
        assertThat(conn.channel.isActive()).isTrue();
        aTextMessageIsRoutedToItsCommand();
    }

    @Test
    void aMessageOverTheMaximumSizeIsRefusedAndTheConnectionStaysOpen() {
        conn.channel.writeInbound(new TextWebSocketFrame(false, 0, utf8("{\"pad\":\"" + "x".repeat(MAX_MESSAGE))));
        conn.channel.writeInbound(new ContinuationWebSocketFrame(true, 0, utf8("\"}")));
        assertThat(texts()).singleElement().satisfies(f ->
                assertThat(f.path("error_code").asText()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE.name()));
        assertThat(conn.channel.isActive()).isTrue();
    }

    @Test
    void aPingIsAnsweredWithAPongCarryingItsPayload() {
        conn.channel.writeInbound(new PingWebSocketFrame(utf8("are you there")));
        List<Object> out = conn.written();
        try {
            assertThat(out).singleElement().isInstanceOf(PongWebSocketFrame.class);
            assertThat(((PongWebSocketFrame) out.get(0)).content().toString(StandardCharsets.UTF_8))
                    .isEqualTo("are you there");
        } finally {
            EmbeddedConnection.release(out);
        }
    }

    @Test
    void aCloseIsAnsweredWithItsCode() {
        conn.channel.writeInbound(new CloseWebSocketFrame(4321, "done"));
        List<Object> out = conn.written();
        try {
            assertThat(out).singleElement().isInstanceOf(CloseWebSocketFrame.class);
            assertThat(((CloseWebSocketFrame) out.get(0)).statusCode()).isEqualTo(4321);
        } finally {
            EmbeddedConnection.release(out);
        }
        assertThat(conn.channel.isOpen()).isFalse();
    }
}
