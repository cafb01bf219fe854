package io.arqonbus.cli.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arqon serve} in a JVM of its own with 32 MiB of direct memory, flooded by clients that
 * each announce a 12 MiB frame and send half of it (the server must keep what has arrived until
 * the frame is whole). With the bound on unfinished messages raised out of the way, the flood runs
 * the server out of direct memory:
 *
 * <ul>
 *   <li>under {@code ARQONBUS_ON_OUT_OF_MEMORY=exit} (the default) the process logs one
 *       {@code event=out_of_memory} line and exits with status 3, instead of staying up and
 *       answering nothing;</li>
 *   <li>under {@code shed} the connections that ran out are closed and, once the flood has gone,
 *       the same process takes a new client and answers it.</li>
 * </ul>
 *
 * With the default bound on unfinished messages (a quarter of the direct memory) the same flood is
 * refused with 1013 before memory runs out.
 */
@Timeout(120)
class OutOfMemoryProcessTest {
    private static final int MiB = 1024 * 1024;
    /**
     * 32 MiB of direct memory, for the JVM and for Netty's own count. From JDK 23 on, Netty uses
     * direct buffers only when it may use {@code sun.misc.Unsafe} (as the {@code arqon} launcher
     * allows); without it every buffer would be on the heap.
     */
    private static final List<String> SMALL_DIRECT_MEMORY = smallDirectMemory();

    private static List<String> smallDirectMemory() {
        List<String> options = new ArrayList<>(List.of("-XX:MaxDirectMemorySize=32m",
                "-Dio.netty.maxDirectMemory=" + 32 * MiB, "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 23) {
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        return options;
    }
    /** Bounds of the flood: at most this many connections, each sending at most {@link #SENT} bytes. */
    private static final int MAX_FLOODERS = 40;
    private static final int ANNOUNCED = 12 * MiB;
    private static final int SENT = 6 * MiB;
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>(Map.of(
                "ARQONBUS_MAX_MESSAGE_SIZE", Integer.toString(16 * MiB),
                "ARQONBUS_MAX_FRAME_SIZE", Integer.toString(16 * MiB)));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    @Test
    void underExitTheProcessEndsWithStatus3AndOneLogLine() throws Exception {
        Path log = dir.resolve("exit.log");
        try (ServerProcess server = ServerProcess.start(
                env("ARQONBUS_MAX_PARTIAL_INBOUND_BYTES", Long.toString(1024L * MiB)), List.of(), log,
                SMALL_DIRECT_MEMORY);
                Flood flood = new Flood(server)) {
            flood.run();
            int status = server.awaitExit(EXIT_TIMEOUT);
            assertThat(status).as("exit status; log:%n%s", server.log()).isEqualTo(io.arqonbus.cli.common.ExitCodes.OUT_OF_MEMORY);
            String output = server.log();
            assertThat(output.lines().filter(l -> l.contains("event=out_of_memory"))).as(output).hasSize(1);
            assertThat(output).contains("code=OUT_OF_MEMORY policy=exit memory=direct");
        }
    }

    @Test
    void underShedTheProcessShedsTheFloodAndThenAnswersANewClient() throws Exception {
        Path log = dir.resolve("shed.log");
        try (ServerProcess server = ServerProcess.start(
                env("ARQONBUS_MAX_PARTIAL_INBOUND_BYTES", Long.toString(1024L * MiB),
                        "ARQONBUS_ON_OUT_OF_MEMORY", "shed"), List.of(), log, SMALL_DIRECT_MEMORY)) {
            try (Flood flood = new Flood(server)) {
                flood.run(3);
                assertThat(flood.endedByTheServer()).as("connections the server shed; log:%n%s", server.log())
                        .isPositive();
            }
            assertThat(server.isAlive()).isTrue();
            // The flood is gone: a new client is welcomed and answered (the mark may refuse it for a moment).
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String answer = null;
            while (answer == null && System.nanoTime() < deadline) {
                answer = pingOnce(server.uri());
            }
            assertThat(answer).as("log:%n%s", server.log()).contains("\"request_id\":\"arq_alive\"");
            assertThat(server.log()).contains("code=OUT_OF_MEMORY policy=shed");
        }
    }

    @Test
    void theDefaultBoundOnUnfinishedMessagesRefusesTheFloodBeforeMemoryRunsOut() throws Exception {
        Path log = dir.resolve("bounded.log");
        try (ServerProcess server = ServerProcess.start(env(), List.of(), log, SMALL_DIRECT_MEMORY)) {
            try (Flood flood = new Flood(server)) {
                flood.run(3);
                assertThat(flood.tryAgainLater()).as("1013 closes; log:%n%s", server.log()).isPositive();
            }
            assertThat(server.isAlive()).isTrue();
            assertThat(pingOnce(server.uri())).contains("\"request_id\":\"arq_alive\"");
            assertThat(server.log()).doesNotContain("event=out_of_memory");
        }
    }

    /** Connects, reads the welcome, pings; the response text, or {@code null} when refused or closed. */
    private static String pingOnce(URI uri) {
        try (Socket socket = upgrade(uri)) {
            if (socket == null) {
                return null;
            }
            byte[] ping = "{\"id\":\"arq_alive\",\"type\":\"command\",\"command\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
            writeFrameHeader(socket.getOutputStream(), ping.length);
            socket.getOutputStream().write(ping);
            socket.getOutputStream().flush();
            for (int i = 0; i < 10; i++) {
                String text = readTextFrame(socket.getInputStream());
                if (text == null) {
                    return null;
                }
                if (text.contains("\"type\":\"response\"")) {
                    return text;
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A socket upgraded to WebSocket on {@code uri}, or {@code null} when the server refused. */
    private static Socket upgrade(URI uri) throws IOException {
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < 16 * 1024) {
            int b = in.read();
            if (b < 0) {
                socket.close();
                return null;
            }
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
            socket.close();
            return null;
        }
        return socket;
    }

    /** A masked text frame header (zero mask key, so the payload is sent as it is). */
    private static void writeFrameHeader(OutputStream out, long length) throws IOException {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write(0x81);
        if (length < 126) {
            h.write(0x80 | (int) length);
        } else if (length < 65536) {
            h.write(0x80 | 126);
            h.write((int) (length >>> 8));
            h.write((int) length);
        } else {
            h.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                h.write((int) (length >>> shift));
            }
        }
        h.write(new byte[4]);
        out.write(h.toByteArray());
    }

    /** The next frame: its text for a text frame, {@code "close:<code>"} for a close frame, {@code null} at the end. */
    private static String readTextFrame(InputStream in) throws IOException {
        int first = in.read();
        int second = in.read();
        if (first < 0 || second < 0) {
            return null;
        }
        long length = second & 0x7F;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | in.read();
            }
        }
        byte[] payload = in.readNBytes((int) Math.min(length, 16 * MiB));
        if ((first & 0x0F) == 0x8) {
            return "close:" + (payload.length >= 2 ? ((payload[0] & 0xFF) << 8 | (payload[1] & 0xFF)) : 1005);
        }
        return new String(payload, StandardCharsets.UTF_8);
    }

    /**
     * Clients that each announce a frame of {@link #ANNOUNCED} bytes and send {@link #SENT} of it,
     * one after the other, keeping their connections open; stops when the server process is gone
     * or after {@link #MAX_FLOODERS} clients.
     */
    private static final class Flood implements AutoCloseable {
        private final ServerProcess server;
        private final List<Socket> sockets = new ArrayList<>();
        private int endedByTheServer;
        private int tryAgainLater;

        Flood(ServerProcess server) {
            this.server = server;
        }

        /** Floods until the server process is gone (or the bound). */
        void run() {
            run(Integer.MAX_VALUE);
        }

        /** Floods until the server has ended {@code enough} connections, the process is gone, or the bound. */
        void run(int enough) {
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            for (int i = 0; i < MAX_FLOODERS && server.isAlive() && endedByTheServer < enough; i++) {
                Socket socket;
                try {
                    socket = upgrade(server.uri());
                } catch (IOException e) {
                    continue; // refused: the server is going or shedding
                }
                if (socket == null) {
                    continue;
                }
                sockets.add(socket);
                try {
                    OutputStream out = socket.getOutputStream();
                    writeFrameHeader(out, ANNOUNCED);
                    for (int sent = 0; sent < SENT; sent += chunk.length) {
                        out.write(chunk);
                    }
                    out.flush();
                } catch (IOException e) {
                    endedByTheServer++; // the server closed the connection while it was sending
                    continue;
                }
                // What the server says within a moment: a 1013, the end of the connection, or
                // nothing (it holds the half frame, as it should while memory lasts).
                try {
                    socket.setSoTimeout(2000);
                    String frame;
                    while ((frame = readTextFrame(socket.getInputStream())) != null) {
                        if (frame.equals("close:1013")) {
                            tryAgainLater++;
                            endedByTheServer++;
                            break;
                        }
                    }
                    if (frame == null) {
                        endedByTheServer++;
                    }
                } catch (SocketTimeoutException stillOpen) {
                    // held by the server: the point of the flood
                } catch (IOException e) {
                    endedByTheServer++;
                }
            }
        }

        int endedByTheServer() {
            return endedByTheServer;
        }

        int tryAgainLater() {
            return tryAgainLater;
        }

        @Override
        public void close() throws IOException {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
