import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures what unfinished frames cost a running server: opens CONNECTIONS WebSocket connections
 * to 127.0.0.1:PORT, and on each announces a text frame of FRAME bytes and sends SENT of them
 * (never the rest), one connection after the other. Then it samples the server's resident memory
 * (VmRSS of PID) for a few seconds, counts how the server answered (still holding the connection,
 * closed with 1013, closed otherwise), closes everything, and samples again.
 *
 *   java bench/PartialFrameFlood.java PORT PID [CONNECTIONS=300] [FRAME=4194304] [SENT=FRAME-1]
 *
 * Prints one line: {@code event=partial_frame_flood connections=… held=… closed_1013=… closed_other=…
 * rss_before_mb=… rss_peak_mb=… rss_after_close_mb=… seconds=…}. Loopback only; bounded by
 * CONNECTIONS × SENT bytes and about a minute.
 */
public final class PartialFrameFlood {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long pid = Long.parseLong(args[1]);
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int frame = args.length > 3 ? Integer.parseInt(args[3]) : 4 * 1024 * 1024;
        int sent = args.length > 4 ? Integer.parseInt(args[4]) : frame - 1;
        long rssBefore = rss(pid);
        long start = System.nanoTime();
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        List<Socket> sockets = new ArrayList<>();
        int refusedAtUpgrade = 0;
        for (int i = 0; i < connections; i++) {
            Socket socket;
            try {
                socket = upgrade(port);
            } catch (IOException e) {
                refusedAtUpgrade++;
                continue;
            }
            sockets.add(socket);
            try {
                OutputStream out = socket.getOutputStream();
                header(out, frame);
                for (int n = 0; n < sent; ) {
                    int len = Math.min(chunk.length, sent - n);
                    out.write(chunk, 0, len);
                    n += len;
                }
                out.flush();
            } catch (IOException e) {
                // closed by the server while sending; counted below
            }
        }
        long peak = rssBefore;
        for (int i = 0; i < 10; i++) {
            Thread.sleep(500); // sampling interval of the resident memory, not a synchronisation
            peak = Math.max(peak, rss(pid));
        }
        int held = 0;
        int closed1013 = 0;
        int closedOther = 0;
        for (Socket socket : sockets) {
            switch (verdict(socket)) {
                case 1013 -> closed1013++;
                case 0 -> held++;
                default -> closedOther++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        for (Socket socket : sockets) {
            socket.close();
        }
        long after = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            Thread.sleep(500);
            after = Math.min(after, rss(pid));
        }
        System.out.printf("event=partial_frame_flood connections=%d frame=%d sent=%d held=%d closed_1013=%d "
                        + "closed_other=%d refused_at_upgrade=%d rss_before_mb=%d rss_peak_mb=%d rss_after_close_mb=%d "
                        + "seconds=%.1f%n", connections, frame, sent, held, closed1013, closedOther, refusedAtUpgrade,
                rssBefore / 1024, peak / 1024, after / 1024, seconds);
    }

    /** VmRSS of the process, in KiB. */
    private static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** 0 while the server holds the connection, the close code it sent, or -1 when it ended without one. */
    private static int verdict(Socket socket) {
        try {
            socket.setSoTimeout(100);
            InputStream in = socket.getInputStream();
            while (true) {
                int first = in.read();
                int second = in.read();
                if (first < 0 || second < 0) {
                    return -1;
                }
                int length = second & 0x7F;
                if (length == 126) {
                    length = (in.read() << 8) | in.read();
                } else if (length == 127) {
                    long l = 0;
                    for (int i = 0; i < 8; i++) {
                        l = (l << 8) | in.read();
                    }
                    length = (int) l;
                }
                byte[] payload = in.readNBytes(length);
                if ((first & 0x0F) == 0x8) {
                    return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return 0;
        } catch (IOException e) {
            return -1;
        }
    }

    private static Socket upgrade(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0 || head.size() > 16 * 1024) {
                socket.close();
                throw new IOException("no upgrade");
            }
            head.write(b);
        }
        if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("upgrade refused: " + head);
        }
        return socket;
    }

    /** A masked text frame header announcing {@code length} bytes (zero mask key). */
    private static void header(OutputStream out, long length) throws IOException {
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
}
