package io.arqonbus.server.internal.transport;

import static io.arqonbus.server.testing.Frames.responseTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import io.arqonbus.server.testing.WireSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a client sees when its frames break the rules: a whole frame over the maximum frame size
 * gets a 1009 close frame (not a reset) and then the end of the connection; a close frame with a
 * code a peer may not send, or a reason that is not UTF-8, gets 1002 (RFC 6455 §7.4); valid codes
 * are answered with the same code. Neighbours notice nothing.
 */
class FrameLimitsTest {
    private static final int MAX_FRAME = 64 * 1024;

    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b
            .maxMessageSize(16 * 1024)
            .maxFrameSize(MAX_FRAME));
    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    @Test
    void aWholeFrameOverTheMaximumFrameSizeGets1009AndThenTheConnectionEnds() throws Exception {
        RawWebSocket neighbour = raw.connectWelcomed();
        try (WireSocket ws = WireSocket.connect(server.bus().busAddress())) {
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            int size = 4 * 1024 * 1024; // far more than the socket buffers hold: still sending when refused
            ws.header(WireSocket.TEXT, true, size);
            IOException writeFailed = null;
            try {
                for (int sent = 0; sent < size; sent += chunk.length) {
                    ws.payload(chunk);
                }
            } catch (IOException e) {
                writeFailed = e; // the server reset the connection under our feet
            }
            assertThat(writeFailed).as("the server must read (and drop) the rest of the frame, not reset").isNull();
            WireSocket.Frame close = ws.awaitClose();
            assertThat(close).as("a close frame, not the end of the connection without one (1006)").isNotNull();
            assertThat(close.closeCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
            assertThat(close.closeReason()).isEqualTo("frame larger than the maximum frame size of " + MAX_FRAME
                    + " bytes");
            assertThat(ws.awaitEnd(T)).as("the server ends the connection after its close frame").isTrue();
        }
        assertUsable(neighbour, "arq_neighbour_1009");
    }

    @Test
    void aFrameJustAtTheMaximumFrameSizeIsRead() throws Exception {
        try (WireSocket ws = WireSocket.connect(server.bus().busAddress())) {
            byte[] frame = new byte[MAX_FRAME];
            Arrays.fill(frame, (byte) ' ');
            ws.frame(WireSocket.TEXT, true, frame);
            // Over the message size: refused with an error frame, the connection stays open.
            String error = null;
            for (WireSocket.Frame f; (f = ws.next()) != null; ) {
                if (f.opcode() == WireSocket.TEXT && f.text().contains("PAYLOAD_TOO_LARGE")) {
                    error = f.text();
                    break;
                }
                assertThat(f.opcode()).isNotEqualTo(WireSocket.CLOSE);
            }
            assertThat(error).isNotNull();
        }
    }

    @ParameterizedTest(name = "close code {0}")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 32768, 65535})
    void aCloseCodeAPeerMayNotSendGets1002(int code) throws Exception {
        try (WireSocket ws = WireSocket.connect(server.bus().busAddress())) {
            ws.close(code, "bye".getBytes(StandardCharsets.UTF_8));
            WireSocket.Frame close = ws.awaitClose();
            assertThat(close).isNotNull();
            assertThat(close.closeCode()).isEqualTo(CloseCodes.PROTOCOL_ERROR);
            assertThat(close.closeReason()).isEqualTo("protocol error: invalid close code " + code);
            assertThat(ws.awaitEnd(T)).isTrue();
        }
    }

    @ParameterizedTest(name = "close code {0}")
    @ValueSource(ints = {1000, 1001, 1003, 1007, 1011, 1014, 3000, 4000, 4999})
    void aValidCloseCodeIsAnsweredWithTheSameCode(int code) throws Exception {
        try (WireSocket ws = WireSocket.connect(server.bus().busAddress())) {
            ws.close(code, "bye".getBytes(StandardCharsets.UTF_8));
            WireSocket.Frame close = ws.awaitClose();
            assertThat(close).isNotNull();
            assertThat(close.closeCode()).isEqualTo(code);
        }
    }

    @ParameterizedTest(name = "reason bytes {0}")
    @ValueSource(strings = {"c328", "c0af", "eda080", "f4908080", "ff", "e282"})
    void aCloseReasonThatIsNotUtf8Gets1002(String hex) throws Exception {
        // A lone continuation, an overlong '/', a UTF-16 surrogate, a code point over U+10FFFF,
        // a byte that never occurs in UTF-8, a truncated sequence.
        try (WireSocket ws = WireSocket.connect(server.bus().busAddress())) {
            ws.close(1000, java.util.HexFormat.of().parseHex(hex));
            WireSocket.Frame close = ws.awaitClose();
            assertThat(close).isNotNull();
            assertThat(close.closeCode()).isEqualTo(CloseCodes.PROTOCOL_ERROR);
            assertThat(close.closeReason()).isEqualTo("protocol error: close reason is not valid UTF-8");
        }
    }

    @Test
    void aCloseFrameWithAOneByteBodyGets1002() throws Exception {
        try (WireSocket ws = WireSocket.connect(server.bus().busAddress())) {
            ws.frame(WireSocket.CLOSE, true, new byte[] {3});
            WireSocket.Frame close = ws.awaitClose();
            assertThat(close).isNotNull();
            assertThat(close.closeCode()).isEqualTo(CloseCodes.PROTOCOL_ERROR);
        }
    }

    @Test
    void aCloseReasonInUtf8IsAccepted() throws Exception {
        try (WireSocket ws = WireSocket.connect(server.bus().busAddress())) {
            ws.close(4000, "au revoir, à bientôt 👋".getBytes(StandardCharsets.UTF_8));
            assertThat(ws.awaitClose().closeCode()).isEqualTo(4000);
        }
    }

    private static void assertUsable(RawWebSocket ws, String rid) throws Exception {
        ws.send("{\"id\":\"" + rid + "\",\"type\":\"command\",\"command\":\"ping\"}");
        assertThat(ws.await(responseTo(rid), T).path("status").asText()).isEqualTo("success");
    }
}
