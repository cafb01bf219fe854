import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fills a server's history for the large-restart measurement: {@code total} durable publications
 * of {@code bytes} incompressible bytes (base64 of random data) spread over 20 channels of room
 * {@code big}, at most 32 unanswered, stopping after {@code seconds} whatever the count.
 * Usage: {@code java FillHistory.java ws://127.0.0.1:PORT/ TOTAL BYTES SECONDS}
 */
public final class FillHistory {
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int total = Integer.parseInt(args[1]);
        int bytes = Integer.parseInt(args[2]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        Semaphore window = new Semaphore(32);
        AtomicLong acked = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        StringBuilder text = new StringBuilder();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    String frame = text.toString();
                    text.setLength(0);
                    if (frame.contains("\"type\":\"ack\"")) {
                        acked.incrementAndGet();
                        window.release();
                    } else if (frame.contains("\"type\":\"error\"")) {
                        refused.incrementAndGet();
                        window.release();
                    }
                }
                w.request(1);
                return null;
            }
        }).get(20, TimeUnit.SECONDS);
        Random random = new Random(7);
        byte[] raw = new byte[bytes * 3 / 4];
        long started = System.nanoTime();
        int sent = 0;
        while (sent < total && System.nanoTime() < deadline) {
            if (!window.tryAcquire(10, TimeUnit.SECONDS)) {
                break;
            }
            random.nextBytes(raw);
            String payload = Base64.getEncoder().encodeToString(raw);
            sent++;
            ws.sendText("{\"type\":\"message\",\"id\":\"arq_fill_" + sent + "\",\"room\":\"big\",\"channel\":\"c"
                    + (sent % 20) + "\",\"ack\":\"durable\",\"payload\":{\"n\":" + sent + ",\"data\":\"" + payload
                    + "\"}}", true).get(20, TimeUnit.SECONDS);
        }
        window.tryAcquire(32, 30, TimeUnit.SECONDS);
        System.out.println("sent=" + sent + " acked=" + acked.get() + " refused=" + refused.get() + " seconds="
                + (System.nanoTime() - started) / 1_000_000_000.0);
        System.exit(0);
    }
}
