package io.arqonbus.server.compat;

import static io.arqonbus.server.testing.Frames.commandAckOf;
import static io.arqonbus.server.testing.Frames.responseTo;
import static io.arqonbus.server.testing.Frames.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input gets an error frame with a stable code and a sentence; the connection stays usable;
 * its neighbours notice nothing; a run of violations closes it with 4000.
 */
class BadInputTest {
    static final int MAX_MESSAGE = 16 * 1024;
    static final int MAX_VIOLATIONS = 5;

    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b
            .maxMessageSize(MAX_MESSAGE)
            .maxFrameSize(4 * MAX_MESSAGE)
            .maxViolations(MAX_VIOLATIONS));
    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    static List<Arguments> badFrames() {
        return List.of(
                Arguments.of("not json", "{nope", "INVALID_JSON"),
                Arguments.of("trailing garbage", "{\"type\":\"message\"} x", "INVALID_JSON"),
                Arguments.of("empty", "", "INVALID_JSON"),
                Arguments.of("array", "[1,2]", "INVALID_JSON"),
                Arguments.of("string", "\"hello\"", "INVALID_JSON"),
                Arguments.of("number", "42", "INVALID_JSON"),
                Arguments.of("null", "null", "INVALID_JSON"),
                Arguments.of("no type", "{\"room\":\"x\"}", "VALIDATION_ERROR"),
                Arguments.of("type not a string", "{\"type\":5}", "VALIDATION_ERROR"),
                Arguments.of("unknown type", "{\"type\":\"bogus\",\"room\":\"x\"}", "VALIDATION_ERROR"),
                Arguments.of("payload not an object", "{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"payload\":[1]}", "VALIDATION_ERROR"),
                Arguments.of("room not a string", "{\"type\":\"message\",\"room\":7}", "VALIDATION_ERROR"),
                Arguments.of("room with space", "{\"type\":\"message\",\"room\":\"a b\",\"channel\":\"c\"}", "VALIDATION_ERROR"),
                Arguments.of("bad id", "{\"id\":\"nope\",\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\"}", "VALIDATION_ERROR"),
                Arguments.of("bad version", "{\"type\":\"message\",\"version\":\"2.0\",\"room\":\"r\",\"channel\":\"c\"}", "VALIDATION_ERROR"),
                Arguments.of("bad timestamp", "{\"type\":\"message\",\"timestamp\":\"yesterday\",\"room\":\"r\",\"channel\":\"c\"}", "VALIDATION_ERROR"),
                Arguments.of("to of numbers", "{\"type\":\"message\",\"to\":[1,2]}", "VALIDATION_ERROR"),
                Arguments.of("command without name", "{\"type\":\"command\",\"args\":{}}", "VALIDATION_ERROR"),
                Arguments.of("message without room", "{\"type\":\"message\",\"payload\":{}}", "VALIDATION_ERROR"),
                Arguments.of("server-only type", "{\"type\":\"system\",\"room\":\"r\"}", "VALIDATION_ERROR"),
                Arguments.of("telemetry without eventType", "{\"type\":\"telemetry\",\"payload\":{}}", "VALIDATION_ERROR"),
                Arguments.of("identification with bad client_id", "{\"client_id\":\"a b\"}", "VALIDATION_ERROR"));
    }

    private static RawWebSocket welcomed() throws Exception {
        return raw.connectWelcomed();
    }

    private static void assertUsable(RawWebSocket ws, String rid) throws Exception {
        ws.send("{\"id\":\"" + rid + "\",\"type\":\"command\",\"command\":\"ping\"}");
        assertThat(ws.await(responseTo(rid), T).path("status").asText()).isEqualTo("success");
        ws.await(commandAckOf(rid), T);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFrames")
    void badFrameGetsAnErrorFrameAndTheConnectionStaysUsable(String name, String frame, String code) throws Exception {
        RawWebSocket neighbour = welcomed();
        RawWebSocket ws = welcomed();
        ws.send(frame);
        JsonNode error = ws.next(T);
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("error_code").asText()).isEqualTo(code);
        assertThat(error.path("error").asText()).isNotBlank();
        assertThat(error.path("sender").asText()).isEqualTo("arqonbus");
        assertThat(error.path("payload").path("errors").isArray()).isTrue();
        assertThat(error.path("payload").path("errors").size()).isPositive();
        assertUsable(ws, "arq_after");
        assertUsable(neighbour, "arq_neighbour");
        assertThat(neighbour.drain()).isEmpty();
    }

    @Test
    void errorFrameCarriesTheRequestIdWhenReadable() throws Exception {
        RawWebSocket ws = welcomed();
        ws.send("{\"id\":\"arq_bad_1\",\"type\":\"message\",\"version\":\"0.9\",\"room\":\"r\",\"channel\":\"c\"}");
        JsonNode error = ws.next(T);
        assertThat(error.path("request_id").asText()).isEqualTo("arq_bad_1");
        assertThat(error.path("error").asText()).isEqualTo("Validation error: 'version' must be \"1.0\"");
    }

    @Test
    void validationListsEveryProblem() throws Exception {
        RawWebSocket ws = welcomed();
        ws.send("{\"type\":\"message\",\"version\":\"9\",\"payload\":3,\"room\":\"r\",\"channel\":\"c\",\"timestamp\":\"x\"}");
        JsonNode error = ws.next(T);
        assertThat(error.path("payload").path("errors").size()).isEqualTo(3);
    }

    @Test
    void unknownCommandIsAnErrorReply() throws Exception {
        RawWebSocket ws = welcomed();
        ws.send("{\"id\":\"arq_uc\",\"type\":\"command\",\"command\":\"make_coffee\"}");
        JsonNode reply = ws.await(responseTo("arq_uc"), T);
        assertThat(reply.path("status").asText()).isEqualTo("error");
        assertThat(reply.path("error_code").asText()).isEqualTo("UNKNOWN_COMMAND");
        assertThat(reply.path("error").asText()).contains("make_coffee");
        assertThat(ws.await(commandAckOf("arq_uc"), T).path("payload").path("result").asText()).isEqualTo("error");
    }

    @Test
    void binaryFrameIsUnsupportedAndTheConnectionStaysOpen() throws Exception {
        RawWebSocket ws = welcomed();
        ws.sendBinary(new byte[] {1, 2, 3});
        JsonNode error = ws.next(T);
        assertThat(error.path("error_code").asText()).isEqualTo("UNSUPPORTED_FRAME");
        assertThat(error.path("error").asText()).contains("Binary frames are not supported");
        assertUsable(ws, "arq_bin");
    }

    @Test
    void invalidUtf8IsInvalidJsonNotAClose() throws Exception {
        RawWebSocket ws = welcomed();
        ws.sendTextBytes(new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        JsonNode error = ws.next(T);
        assertThat(error.path("error_code").asText()).isEqualTo("INVALID_JSON");
        assertThat(error.path("error").asText()).containsIgnoringCase("UTF-8");
        assertUsable(ws, "arq_utf8");
    }

    @Test
    void messageOverTheMaximumSizeIsRefusedAndTheConnectionStaysOpen() throws Exception {
        RawWebSocket ws = welcomed();
        char[] filler = new char[MAX_MESSAGE + 1];
        Arrays.fill(filler, 'x');
        ws.send("{\"type\":\"message\",\"room\":\"r\",\"channel\":\"c\",\"payload\":{\"t\":\"" + new String(filler) + "\"}}");
        JsonNode error = ws.next(T);
        assertThat(error.path("error_code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(error.path("error").asText()).contains(String.valueOf(MAX_MESSAGE));
        assertUsable(ws, "arq_big");
    }

    @Test
    void fragmentedMessageOverTheMaximumIsRefusedAndFragmentsUnderItAreReassembled() throws Exception {
        RawWebSocket ws = welcomed();
        byte[] part = new byte[MAX_MESSAGE / 2 + 10];
        Arrays.fill(part, (byte) ' ');
        ws.sendFrame(new TextWebSocketFrame(false, 0, Unpooled.copiedBuffer("{\"type\":\"message\",", StandardCharsets.UTF_8)));
        ws.sendFrame(new ContinuationWebSocketFrame(false, 0, Unpooled.wrappedBuffer(part)));
        ws.sendFrame(new ContinuationWebSocketFrame(false, 0, Unpooled.wrappedBuffer(part)));
        ws.sendFrame(new ContinuationWebSocketFrame(true, 0, Unpooled.copiedBuffer("\"room\":\"r\",\"channel\":\"c\"}", StandardCharsets.UTF_8)));
        assertThat(ws.next(T).path("error_code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");

        ws.sendFrame(new TextWebSocketFrame(false, 0, Unpooled.copiedBuffer("{\"id\":\"arq_frag\",\"type\":\"comm", StandardCharsets.UTF_8)));
        ws.sendFrame(new ContinuationWebSocketFrame(true, 0, Unpooled.copiedBuffer("and\",\"command\":\"ping\"}", StandardCharsets.UTF_8)));
        assertThat(ws.await(responseTo("arq_frag"), T).path("status").asText()).isEqualTo("success");
    }

    @Test
    void frameOverTheMaximumFrameSizeClosesWith1009() throws Exception {
        RawWebSocket ws = welcomed();
        byte[] huge = new byte[4 * MAX_MESSAGE + 1];
        Arrays.fill(huge, (byte) ' ');
        ws.sendTextBytes(huge);
        RawWebSocket.Close close = ws.closeFrame().get(T.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(close.code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
    }

    @Test
    void consecutiveViolationsCloseWith4000() throws Exception {
        RawWebSocket neighbour = welcomed();
        RawWebSocket ws = welcomed();
        for (int i = 0; i < MAX_VIOLATIONS; i++) {
            ws.send("{\"type\":\"message\",\"payload\":{}}"); // valid JSON, refused by routing: no room
        }
        for (int i = 0; i < MAX_VIOLATIONS; i++) {
            assertThat(ws.next(T).path("error_code").asText()).isEqualTo("VALIDATION_ERROR");
        }
        RawWebSocket.Close close = ws.closeFrame().get(T.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(close.code()).isEqualTo(CloseCodes.TOO_MANY_VIOLATIONS);
        assertThat(close.reason()).isEqualTo("too many protocol violations");
        assertUsable(neighbour, "arq_n");
    }

    @Test
    void aRoutedMessageResetsTheViolationRun() throws Exception {
        RawWebSocket ws = welcomed();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < MAX_VIOLATIONS - 1; i++) {
                ws.send("{nope");
                assertThat(ws.next(T).path("error_code").asText()).isEqualTo("INVALID_JSON");
            }
            ws.send("{\"type\":\"message\",\"room\":\"bad\",\"channel\":\"reset\",\"payload\":{}}");
            assertThat(ws.next(T).path("type").asText()).isEqualTo("message_response");
        }
        assertThat(ws.isOpen()).isTrue();
        assertUsable(ws, "arq_reset");
    }

    @Test
    void clientMetadataOffsetAndEpochAreServerAssigned() throws Exception {
        RawWebSocket a = welcomed();
        RawWebSocket b = raw.connect();
        String bId = b.await(f -> f.path("payload").has("welcome"), T).path("payload").path("client_id").asText();
        b.send("{\"id\":\"arq_j\",\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\"bad\",\"channel\":\"pos\"}}");
        b.await(commandAckOf("arq_j"), T);
        a.send("{\"type\":\"message\",\"room\":\"bad\",\"channel\":\"pos\",\"metadata\":{\"offset\":999,\"epoch\":\"fake\",\"k\":1}}");
        JsonNode got = b.await(type("message"), T);
        assertThat(got.path("metadata").path("offset").asLong()).isEqualTo(1);
        assertThat(got.path("metadata").path("epoch").asText()).isNotEqualTo("fake");
        assertThat(got.path("metadata").path("k").asInt()).isEqualTo(1);
        // Private messages carry no position at all, not even a client's.
        a.send("{\"type\":\"private\",\"to\":\"" + bId + "\",\"metadata\":{\"offset\":5,\"epoch\":\"fake\"},\"payload\":{}}");
        JsonNode pm = b.await(type("private"), T);
        assertThat(pm.path("metadata").has("offset")).isFalse();
        assertThat(pm.path("metadata").has("epoch")).isFalse();
    }
}
