package io.arqonbus.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Sends an HTTP request as raw bytes and reads the answer until the server closes. */
public final class RawHttp {
    /** A parsed answer: status code, headers (lower-case names), body. */
    public record Answer(int status, Map<String, String> headers, String body) {
    }

    private RawHttp() {
    }

    /** Sends {@code request} verbatim to the address and reads until EOF (bounded by a timeout). */
    public static Answer exchange(InetSocketAddress address, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 5000);
            socket.setSoTimeout((int) ArqonBusExtension.TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int n;
            while (all.size() < 1_000_000 && (n = in.read(buffer)) >= 0) {
                all.write(buffer, 0, n);
                String sofar = all.toString(StandardCharsets.UTF_8);
                int end = sofar.indexOf("\r\n\r\n");
                if (end >= 0) {
                    Answer answer = parse(sofar, end);
                    String length = answer.headers().get("content-length");
                    if (length != null && answer.body().getBytes(StandardCharsets.UTF_8).length
                            >= Integer.parseInt(length)) {
                        return answer;
                    }
                }
            }
            String text = all.toString(StandardCharsets.UTF_8);
            return parse(text, text.indexOf("\r\n\r\n"));
        }
    }

    private static Answer parse(String text, int end) {
        String head = text.substring(0, end);
        String body = text.substring(end + 4);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Answer(status, headers, body);
    }

    /** A WebSocket upgrade request for this path, with extra header lines (each ending in CRLF). */
    public static String upgrade(String path, String extraHeaders) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
    }
}
