package io.arqonbus.server.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.WireSocket;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bytes held by frames that have only partly arrived, and by fragmented messages being
 * reassembled, are bounded across all connections: a connection that would need more than is left
 * is closed with 1013 while the others keep what they hold and finish their messages; what is held
 * is given back when messages finish or connections end. A frame that does not finish arriving
 * within the receive timeout closes its connection with 1008.
 */
class PartialInboundTest {
    private static final int BUDGET = 1024 * 1024;
    private static final int FRAME = 100 * 1024;
    private static final int PART = 90 * 1024;

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b
            .maxMessageSize(FRAME)
            .maxFrameSize(FRAME)
            .maxPartialInboundBytes(BUDGET));

    @RegisterExtension
    static final ArqonBusExtension slowServer = new ArqonBusExtension(b -> b
            .receiveTimeout(Duration.ofMillis(500)));

    @RegisterExtension
    static final ArqonBusExtension tinyBudgetServer = new ArqonBusExtension(b -> b
            .maxPartialInboundBytes(16 * 1024));

    private static final Duration T = ArqonBusExtension.TIMEOUT;
    private final List<WireSocket> sockets = new ArrayList<>();

    @AfterEach
    void closeSockets() throws IOException {
        for (WireSocket ws : sockets) {
            ws.close();
        }
    }

    private WireSocket connect(ArqonBusExtension to) throws IOException {
        WireSocket ws = WireSocket.connect(to.bus().busAddress());
        sockets.add(ws);
        return ws;
    }

    private static double held() {
        return held(server);
    }

    private static double held(ArqonBusExtension of) {
        Gauge gauge = of.components().metrics().registry().find("arqonbus.partial.inbound.bytes").gauge();
        return gauge == null ? -1 : gauge.value();
    }

    /** A ping command padded with spaces to {@code size} bytes: valid JSON, {@code size} bytes long. */
    private static byte[] ping(String id, int size) {
        byte[] json = ("{\"id\":\"" + id + "\",\"type\":\"command\",\"command\":\"ping\"}").getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[size];
        Arrays.fill(frame, (byte) ' ');
        System.arraycopy(json, 0, frame, 0, json.length);
        return frame;
    }

    @Test
    void connectionsThatWouldPassTheBudgetAreClosedWith1013AndTheOthersFinish() throws Exception {
        // Each connection announces a 100 KiB frame and sends 90 KiB of it. What it costs is the
        // buffer the server keeps the part in (at least the 90 KiB), so about ten fit in 1 MiB:
        // connections are added until one is refused (at most 30).
        List<WireSocket> holding = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        WireSocket.Frame refusal = null;
        for (int i = 0; i < 30 && refusal == null; i++) {
            WireSocket ws = connect(server);
            byte[] frame = ping("arq_part_" + i, FRAME);
            double before = held();
            ws.header(WireSocket.TEXT, true, FRAME);
            ws.payload(Arrays.copyOf(frame, PART));
            // Either the server now holds the part (the gauge grew by at least PART), or it refused.
            await().atMost(T).until(() -> held() >= before + PART || ws.hasClose());
            if (held() >= before + PART) {
                assertThat(held()).isLessThanOrEqualTo(BUDGET);
                holding.add(ws);
                frames.add(frame);
            } else {
                refusal = ws.awaitClose();
                assertThat(refusal).as("connection %d: a close frame", i).isNotNull();
                assertThat(refusal.closeCode()).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
                assertThat(refusal.closeReason()).isEqualTo("server busy: no room for unfinished messages, try again later");
                assertThat(held()).as("what the refused connection held is given back").isEqualTo(before);
                assertThat(before + PART).as("refused only when its part did not fit").isGreaterThan(BUDGET);
            }
        }
        assertThat(refusal).as("the budget refused a connection").isNotNull();
        assertThat(holding.size()).isBetween(BUDGET / (2 * FRAME), BUDGET / PART);
        // The connections that fit finish their frames and are answered.
        for (int i = 0; i < holding.size(); i++) {
            holding.get(i).payload(Arrays.copyOfRange(frames.get(i), PART, FRAME));
            assertThat(awaitResponse(holding.get(i), "arq_part_" + i)).isTrue();
        }
        await().atMost(T).until(() -> held() == 0);
        // With the budget free again, a new connection sends a whole frame in two halves.
        WireSocket again = connect(server);
        byte[] frame = ping("arq_again", FRAME);
        again.header(WireSocket.TEXT, true, FRAME);
        again.payload(Arrays.copyOf(frame, PART));
        await().atMost(T).until(() -> held() >= PART);
        again.payload(Arrays.copyOfRange(frame, PART, FRAME));
        assertThat(awaitResponse(again, "arq_again")).isTrue();
        await().atMost(T).until(() -> held() == 0);
    }

    @Test
    void fragmentsOfAMessageCountAndAreGivenBackWhenTheConnectionEnds() throws Exception {
        // Each connection sends the first 80 KiB fragment of a message and holds it; the server
        // keeps exactly those bytes per connection. Connections are added until one is refused.
        List<WireSocket> holding = new ArrayList<>();
        int fragment = 80 * 1024;
        WireSocket.Frame refusal = null;
        for (int i = 0; i < 30 && refusal == null; i++) {
            WireSocket ws = connect(server);
            ws.frame(WireSocket.TEXT, false, ping("arq_frag_" + i, fragment));
            int expected = (holding.size() + 1) * fragment;
            await().atMost(T).until(() -> held() == expected || ws.hasClose());
            if (held() == expected) {
                holding.add(ws);
            } else {
                refusal = ws.awaitClose();
            }
        }
        assertThat(refusal).isNotNull();
        assertThat(refusal.closeCode()).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
        assertThat(holding.size()).isBetween(BUDGET / fragment - 2, BUDGET / fragment);
        assertThat(held()).isEqualTo(holding.size() * fragment);
        // The first finishes its message; the others simply leave.
        holding.get(0).frame(WireSocket.CONTINUATION, true, "  ".getBytes(StandardCharsets.US_ASCII));
        assertThat(awaitResponse(holding.get(0), "arq_frag_0")).isTrue();
        for (WireSocket ws : holding.subList(1, holding.size())) {
            ws.close();
        }
        await().atMost(T).until(() -> held() == 0);
    }

    @Test
    void theFragmentThatDoesNotFitIsRefusedAndWhatTheMessageHeldIsGivenBack() throws Exception {
        // 1 KiB fragments of one message against a 16 KiB budget, one at a time (each read holds one
        // whole frame, so only the fragments count): sixteen fit, the seventeenth does not.
        WireSocket ws = connect(tinyBudgetServer);
        byte[] kib = new byte[1024];
        Arrays.fill(kib, (byte) ' ');
        kib[0] = '{';
        int held = 0;
        WireSocket.Frame refusal = null;
        for (int i = 0; i < 40 && refusal == null; i++) {
            ws.frame(i == 0 ? WireSocket.TEXT : WireSocket.CONTINUATION, false, kib);
            kib[0] = ' ';
            int expected = held + kib.length;
            await().atMost(T).pollInterval(Duration.ofMillis(5))
                    .until(() -> held(tinyBudgetServer) == expected || ws.hasClose());
            if (held(tinyBudgetServer) == expected) {
                held = expected;
            } else {
                refusal = ws.awaitClose();
            }
        }
        assertThat(held).isEqualTo(16 * 1024);
        assertThat(refusal).isNotNull();
        assertThat(refusal.closeCode()).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
        await().atMost(T).until(() -> held(tinyBudgetServer) == 0);
    }

    @Test
    void aFrameThatDoesNotFinishWithinTheReceiveTimeoutIsClosedWith1008() throws Exception {
        WireSocket ws = connect(slowServer);
        long start = System.nanoTime();
        ws.header(WireSocket.TEXT, true, 1000);
        ws.payload(new byte[100]); // and never the rest
        WireSocket.Frame close = ws.awaitClose();
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        assertThat(close).isNotNull();
        assertThat(close.closeCode()).isEqualTo(CloseCodes.POLICY_VIOLATION);
        assertThat(close.closeReason()).isEqualTo("message not received within 500 ms");
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(450)).isLessThan(T);
    }

    @Test
    void aFragmentedMessageThatDoesNotFinishWithinTheReceiveTimeoutIsClosedWith1008() throws Exception {
        WireSocket ws = connect(slowServer);
        ws.frame(WireSocket.TEXT, false, "{\"type\":".getBytes(StandardCharsets.US_ASCII)); // and never the rest
        WireSocket.Frame close = ws.awaitClose();
        assertThat(close).isNotNull();
        assertThat(close.closeCode()).isEqualTo(CloseCodes.POLICY_VIOLATION);
    }

    @Test
    void aSlowButSteadySenderOfWholeFramesIsNotClosed() throws Exception {
        WireSocket ws = connect(slowServer);
        long start = System.nanoTime();
        int n = 0;
        // Whole frames, each sent in two halves with a pause between (a read ends inside each
        // frame), for longer than the receive timeout: every frame finishes in time.
        while (System.nanoTime() - start < Duration.ofMillis(1500).toNanos()) {
            String id = "arq_steady_" + n++;
            byte[] frame = ping(id, 2000);
            ws.header(WireSocket.TEXT, true, frame.length);
            ws.payload(Arrays.copyOf(frame, 1000));
            Thread.sleep(100); // the pause is the point of the test: a frame that takes a while, but not too long
            ws.payload(Arrays.copyOfRange(frame, 1000, frame.length));
            assertThat(awaitResponse(ws, id)).isTrue();
        }
    }

    /** Reads frames until the response to {@code id}; false when a close frame or the end comes first. */
    private static boolean awaitResponse(WireSocket ws, String id) throws IOException {
        for (WireSocket.Frame f; (f = ws.next()) != null; ) {
            if (f.opcode() == WireSocket.CLOSE) {
                return false;
            }
            if (f.opcode() == WireSocket.TEXT && f.text().contains("\"type\":\"response\"")
                    && f.text().contains("\"request_id\":\"" + id + "\"")) {
                return true;
            }
        }
        return false;
    }
}
