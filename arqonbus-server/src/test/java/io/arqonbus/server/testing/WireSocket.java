package io.arqonbus.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A WebSocket client on a plain blocking socket, for tests that write frames byte by byte: a
 * frame header that announces more than is ever sent, half a frame, a close frame with any code.
 * It does the upgrade itself, masks with a zero key (payload bytes go out unchanged) and reads the
 * server's frames as they are on the wire.
 */
public final class WireSocket implements AutoCloseable {
    /** A frame the server sent. */
    public record Frame(int opcode, byte[] payload) {
        /** The close code of a close frame; 1005 when it has none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }

        /** The reason of a close frame. */
        public String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }

        /** A text frame's text. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    public static final int TEXT = 0x1;
    public static final int CONTINUATION = 0x0;
    public static final int CLOSE = 0x8;

    private static final Frame END = new Frame(-1, new byte[0]);
    /** A close (or {@link #END}) {@link #hasClose()} has already read. */
    private Frame pendingClose;
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private WireSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects and upgrades; the server's 101 answer has been read, nothing after it. */
    public static WireSocket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, (int) ArqonBusExtension.TIMEOUT.toMillis());
            socket.setSoTimeout((int) ArqonBusExtension.TIMEOUT.toMillis());
            WireSocket ws = new WireSocket(socket);
            ws.out.write(RawHttp.upgrade("/", "").getBytes(StandardCharsets.US_ASCII));
            ws.out.flush();
            String head = ws.readHead();
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException("upgrade refused: " + head);
            }
            return ws;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4 && head.size() < 16 * 1024) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed during the upgrade: " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** The client side's port: the server's logs name the connection by it. */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** Writes a masked frame header announcing {@code length} payload bytes (zero mask key). */
    public void header(int opcode, boolean fin, long length) throws IOException {
        out.write(headerBytes(opcode, fin, length));
        out.flush();
    }

    private static byte[] headerBytes(int opcode, boolean fin, long length) {
        ByteArrayOutputStream h = new ByteArrayOutputStream(14);
        h.write((fin ? 0x80 : 0) | opcode);
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
        h.write(new byte[4], 0, 4); // the mask key: zeros, so the payload goes out as it is
        return h.toByteArray();
    }

    /** Writes payload bytes (after a {@link #header}). */
    public void payload(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes a whole frame, header and payload in one write. */
    public void frame(int opcode, boolean fin, byte[] payload) throws IOException {
        byte[] header = headerBytes(opcode, fin, payload.length);
        byte[] whole = java.util.Arrays.copyOf(header, header.length + payload.length);
        System.arraycopy(payload, 0, whole, header.length, payload.length);
        out.write(whole);
        out.flush();
    }

    /** Writes a close frame with this code and these reason bytes (any code, any bytes). */
    public void close(int code, byte[] reason) throws IOException {
        byte[] body = new byte[2 + reason.length];
        body[0] = (byte) (code >>> 8);
        body[1] = (byte) code;
        System.arraycopy(reason, 0, body, 2, reason.length);
        frame(CLOSE, true, body);
    }

    /**
     * Whether the server has sent a close frame or ended the connection, looking only at what
     * has arrived (never blocks; frames before the close are skipped).
     */
    public boolean hasClose() throws IOException {
        try {
            while (in.available() > 0) {
                Frame frame = next();
                if (frame == null || frame.opcode() == CLOSE) {
                    pendingClose = frame == null ? END : frame;
                    return true;
                }
            }
            return pendingClose != null;
        } catch (IOException e) {
            pendingClose = END;
            return true;
        }
    }

    /** The next frame from the server; {@code null} when the connection ended (EOF or reset). */
    public Frame next() throws IOException {
        try {
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            long length = second & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            if (length > 64 * 1024 * 1024) {
                throw new IOException("frame too long for a test: " + length);
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            return new Frame(first & 0x0F, payload);
        } catch (EOFException e) {
            return null;
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (SocketException e) {
            return null; // reset
        }
    }

    /**
     * Reads frames until the server's close frame; {@code null} when the connection ended without
     * one (what a browser reports as 1006). Fails with {@link SocketTimeoutException} past the
     * test timeout.
     */
    public Frame awaitClose() throws IOException {
        if (pendingClose != null) {
            return pendingClose == END ? null : pendingClose;
        }
        Frame frame;
        while ((frame = next()) != null) {
            if (frame.opcode() == CLOSE) {
                return frame;
            }
        }
        return null;
    }

    /** Whether the server ended the connection: reads until EOF (or a reset), within {@code timeout}. */
    public boolean awaitEnd(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        InputStream raw = socket.getInputStream();
        byte[] sink = new byte[8192];
        try {
            while (raw.read(sink) >= 0) {
                // frames after the close are not expected; drop them
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
