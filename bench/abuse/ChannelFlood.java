import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One unauthenticated client publishing to distinct channel names as fast as the socket takes
 * them, for a bounded time: {@code java ChannelFlood.java ws://127.0.0.1:9100/ 30}. Prints the
 * frames sent and the answers (acks, CHANNEL_LIMIT, RATE_LIMITED) every 5 s. Loopback only.
 */
public final class ChannelFlood {
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args.length > 0 ? args[0] : "ws://127.0.0.1:9100/");
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 30;
        String room = "flood" + System.currentTimeMillis();
        AtomicLong acks = new AtomicLong();
        AtomicLong limited = new AtomicLong();
        AtomicLong rate = new AtomicLong();
        AtomicLong other = new AtomicLong();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    String frame = text.toString();
                    text.setLength(0);
                    if (frame.contains("\"CHANNEL_LIMIT\"")) {
                        limited.incrementAndGet();
                    } else if (frame.contains("\"RATE_LIMITED\"")) {
                        rate.incrementAndGet();
                    } else if (frame.contains("message_response")) {
                        acks.incrementAndGet();
                    } else {
                        other.incrementAndGet();
                    }
                }
                ws.request(1);
                return null;
            }
        };
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, listener).get(10,
                TimeUnit.SECONDS);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long sent = 0;
        CompletableFuture<WebSocket> last = CompletableFuture.completedFuture(ws);
        while (System.nanoTime() < end) {
            String frame = "{\"type\":\"message\",\"room\":\"" + room + "\",\"channel\":\"c" + sent
                    + "\",\"payload\":{\"n\":" + sent + "}}";
            last = ws.sendText(frame, true);
            last.get(10, TimeUnit.SECONDS);
            sent++;
            if (System.nanoTime() > nextReport) {
                System.out.printf("sent=%d acks=%d channel_limit=%d rate_limited=%d other=%d%n", sent, acks.get(),
                        limited.get(), rate.get(), other.get());
                nextReport += TimeUnit.SECONDS.toNanos(5);
            }
        }
        Thread.sleep(1000);
        System.out.printf("done sent=%d acks=%d channel_limit=%d rate_limited=%d other=%d%n", sent, acks.get(),
                limited.get(), rate.get(), other.get());
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    }
}
