package io.arqonbus.server.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arqonbus.server.config.ServerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bus port's handshake on an embedded channel with the real parts behind it: an upgrade is
 * answered with 101 and the welcome and leaves the WebSocket handlers in place; plain HTTP, a
 * foreign origin and a missing token are refused with the original's HTTP answers.
 */
class HandshakeHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UPGRADE = "GET /?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private BusParts parts;

    /** The bus pipeline before the upgrade, as the initializer builds it (without its timeout). */
    private void pipeline(Consumer<ServerConfig.Builder> change) {
        ServerConfig.Builder config = ServerConfig.builder().host("127.0.0.1").port(0);
        change.accept(config);
        parts = new BusParts(config.build(), channel);
        channel.pipeline().addLast(HandlerNames.HTTP_CODEC, new HttpServerCodec());
        channel.pipeline().addLast(HandlerNames.HTTP_AGGREGATOR,
                new HttpObjectAggregator(BusChannelInitializer.MAX_HANDSHAKE_BYTES));
        channel.pipeline().addLast(HandlerNames.HANDSHAKE, new HandshakeHandler(parts.deps));
        channel.pipeline().addLast(HandlerNames.EXCEPTION, parts.deps.exceptionHandler());
    }

    @AfterEach
    void close() throws Exception {
        channel.finishAndReleaseAll();
        if (parts != null) {
            parts.close();
        }
    }

    /** Sends the request's bytes and returns every byte the server wrote back, tasks run. */
    private byte[] exchange(String request) {
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int round = 0; round < 10; round++) {
            channel.runPendingTasks();
            for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
                ByteBuf buf = (ByteBuf) o;
                try {
                    byte[] bytes = new byte[buf.readableBytes()];
                    buf.readBytes(bytes);
                    out.writeBytes(bytes);
                } finally {
                    buf.release();
                }
            }
        }
        return out.toByteArray();
    }

    private static int headEnd(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("an HTTP answer: %s", text).isPositive();
        return end + 4;
    }

    /** The status line and headers of the answer. */
    private static String head(byte[] answer) {
        return new String(answer, 0, headEnd(answer), StandardCharsets.ISO_8859_1);
    }

    /** The unmasked text frames after the HTTP answer. */
    private static List<JsonNode> framesAfterHead(byte[] answer) throws Exception {
        List<JsonNode> frames = new ArrayList<>();
        int i = headEnd(answer);
        while (i < answer.length) {
            assertThat(answer[i] & 0xFF).as("a final text frame").isEqualTo(0x81);
            int length = answer[i + 1] & 0x7F;
            i += 2;
            if (length == 126) {
                length = ((answer[i] & 0xFF) << 8) | (answer[i + 1] & 0xFF);
                i += 2;
            } else if (length == 127) {
                throw new AssertionError("frame too large for this test");
            }
            frames.add(JSON.readTree(new String(answer, i, length, StandardCharsets.UTF_8)));
            i += length;
        }
        return frames;
    }

    @Test
    void anUpgradeIsAcceptedWelcomedAndReplacedByTheWebSocketHandlers() throws Exception {
        pipeline(b -> { });
        byte[] answer = exchange(UPGRADE + "\r\n");

        assertThat(head(answer)).startsWith("HTTP/1.1 101 Switching Protocols")
                .containsIgnoringCase("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        List<JsonNode> frames = framesAfterHead(answer);
        assertThat(frames).isNotEmpty();
        assertThat(frames.get(0).path("payload").path("welcome").asText()).isEqualTo("Connected to ArqonBus");
        assertThat(channel.pipeline().names()).contains(HandlerNames.KEEPALIVE, HandlerNames.FRAMES,
                HandlerNames.WS_DECODER, HandlerNames.WS_ENCODER, HandlerNames.EXCEPTION)
                .doesNotContain(HandlerNames.HANDSHAKE, HandlerNames.IDLE_TIMEOUT);
        assertThat(parts.sessions.size()).isEqualTo(1);
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void theIdleTimeoutJoinsThePipelineWhenSet() {
        pipeline(b -> b.idleTimeout(java.time.Duration.ofSeconds(30)));
        exchange(UPGRADE + "\r\n");
        assertThat(channel.pipeline().names()).containsSubsequence(HandlerNames.KEEPALIVE, HandlerNames.IDLE_TIMEOUT,
                HandlerNames.FRAMES);
    }

    @Test
    void plainHttpIsRefusedWith426() {
        pipeline(b -> { });
        byte[] answer = exchange("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        assertThat(head(answer)).startsWith("HTTP/1.1 426 Upgrade Required").containsIgnoringCase("upgrade: websocket");
        assertThat(new String(answer, StandardCharsets.UTF_8)).contains("\"error\":\"Upgrade Required\"");
        assertThat(channel.isOpen()).isFalse();
        assertThat(parts.sessions.size()).isZero();
    }

    @Test
    void anOriginOutsideTheAllowListIsRefusedWith403() {
        pipeline(b -> b.allowedOrigins(List.of("https://app.example")));
        byte[] answer = exchange(UPGRADE + "Origin: https://evil.example\r\n\r\n");

        assertThat(head(answer)).startsWith("HTTP/1.1 403 Forbidden");
        assertThat(new String(answer, StandardCharsets.UTF_8)).contains("Origin not allowed");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anUpgradeWithoutATokenIsRefusedWith401WhenAuthIsOn() {
        pipeline(b -> b.authEnabled(true).jwtSecret("handshake-test-secret-of-at-least-32-bytes"));
        byte[] answer = exchange(UPGRADE + "\r\n");

        assertThat(head(answer)).startsWith("HTTP/1.1 401 Unauthorized")
                .containsIgnoringCase("www-authenticate: Bearer realm=\"arqonbus\"");
        assertThat(channel.isOpen()).isFalse();
        assertThat(parts.sessions.size()).isZero();
    }
}
