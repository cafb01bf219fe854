import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes COUNT messages of about SIZE bytes to one channel of a local ArqonBus (loopback only),
 * one at a time, and stops after COUNT or DEADLINE seconds, whichever comes first. Run with the JDK
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
                        received.incrementAndGet();
                        if (data.toString().contains("\"type\":\"error\"")) {
                            errors.incrementAndGet();
                        }
                        socket.request(1);
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
            if (sent % 250 == 0) {
                System.err.printf("sent %d in %.1f s%n", sent, (System.nanoTime() - start) / 1e9);
            }
        }
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        System.out.printf("{\"sent\":%d,\"bytes_each\":%d,\"seconds\":%.1f,\"frames_received\":%d,\"errors\":%d}%n",
                sent, size, (System.nanoTime() - start) / 1e9, received.get(), errors.get());
    }
}
