import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes COUNT messages of about SIZE bytes to one channel of a local ArqonBus (loopback only),
 * one at a time (each after the reply to the previous one), and stops after COUNT or DEADLINE seconds, whichever comes first. Run with the JDK
 * alone: {@code java PublishLarge.java ws://127.0.0.1:9100/ 2000 1040000 300}.
 */
public final class PublishLarge {
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        if (!"127.0.0.1".equals(uri.getHost()) && !"localhost".equals(uri.getHost())) {
            throw new IllegalArgumentException("loopback only: " + uri);
        }
        int count = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        AtomicLong received = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        if (last) {
                            received.incrementAndGet();
                        }
                        if (data.toString().contains("\"type\":\"error\"")) {
                            errors.incrementAndGet();
                        }
                        return null;
                    }

                    @Override
                    public void onOpen(WebSocket socket) {
                        socket.request(Long.MAX_VALUE); // read everything at once: a slow reader is closed (4001)
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                        System.err.printf("closed by the server: %d %s%n", code, reason);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        String pad = "x".repeat(size);
        long start = System.nanoTime();
        int sent = 0;
        while (sent < count && System.nanoTime() < deadline) {
            String json = "{\"type\":\"message\",\"room\":\"big\",\"channel\":\"history\",\"payload\":{\"n\":" + sent
                    + ",\"pad\":\"" + pad + "\"}}";
            ws.sendText(json, true).get(30, TimeUnit.SECONDS);
            sent++;
            // One reply per publication (it echoes the message): wait for it, so that the replies
            // never pile up past the server's per-connection output budget (a slow reader gets 4001).
            long replyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.get() < sent && System.nanoTime() < replyBy) {
                Thread.sleep(1);
            }
            if (sent % 100 == 0) {
                System.err.printf("sent %d in %.1f s%n", sent, (System.nanoTime() - start) / 1e9);
            }
        }
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        System.out.printf("{\"sent\":%d,\"bytes_each\":%d,\"seconds\":%.1f,\"replies_received\":%d,\"errors\":%d}%n",
                sent, size, (System.nanoTime() - start) / 1e9, received.get(), errors.get());
    }
}
