/*
 * A bounded history-read storm next to a neighbour (JDK only; run with `java HistoryStorm.java`).
 *
 *   java bench/history-storm/HistoryStorm.java ws://127.0.0.1:9100/ [readers=20] [seconds=20] [rate=100]
 *
 * Fills `storm:big` with 1000 publications of about 2 KiB (a `history` of limit 1000 is then a
 * maximum-size reply: half the default output budget, 2 MiB), then measures for `seconds` without
 * readers and for `seconds` with `readers` connections each reading that history in a loop (a
 * RATE_LIMITED answer is retried after its `retry_after_ms`): the neighbour's delivery latency
 * (p50/p99/max, one publication every 1/rate s on `calm:feed`) and a new connection's time to
 * its welcome frame (one every 250 ms). Every loop is bounded by the phase's time.
 */
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class HistoryStorm {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Pattern T = Pattern.compile("\"t\":(\\d+)");
    static final Pattern RETRY = Pattern.compile("\"retry_after_ms\":(\\d+)");
    static final AtomicLong IDS = new AtomicLong();

    /** One connection; every text frame (reassembled) goes to the handler. */
    static final class Conn implements WebSocket.Listener {
        final CompletableFuture<Long> welcomeNanos = new CompletableFuture<>();
        final long started = System.nanoTime();
        final StringBuilder partial = new StringBuilder();
        volatile Consumer<String> handler = s -> { };
        WebSocket ws;

        static Conn open(String uri) {
            Conn c = new Conn();
            c.ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(uri), c).orTimeout(30, TimeUnit.SECONDS).join();
            c.welcomeNanos.orTimeout(30, TimeUnit.SECONDS).join();
            return c;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                if (!welcomeNanos.isDone()) {
                    welcomeNanos.complete(System.nanoTime() - started);
                } else {
                    handler.accept(text);
                }
            }
            webSocket.request(1);
            return null;
        }

        void send(String text) {
            synchronized (this) {
                ws.sendText(text, true).join();
            }
        }

        void close() {
            ws.abort();
        }
    }

    static String id() {
        return "arq_hs_" + IDS.incrementAndGet();
    }

    static String command(String id, String name, String args) {
        return "{\"id\":\"" + id + "\",\"type\":\"command\",\"command\":\"" + name + "\",\"args\":" + args + "}";
    }

    static String publish(String room, String channel, String payload) {
        return "{\"type\":\"message\",\"room\":\"" + room + "\",\"channel\":\"" + channel + "\",\"payload\":" + payload + "}";
    }

    record Figures(int deliveries, double p50, double p99, double max, double welcomeP50, double welcomeP99,
            double welcomeMax, long reads, long limited) {
        @Override
        public String toString() {
            return String.format("neighbour: %d deliveries, p50 %.1f ms, p99 %.1f ms, max %.1f ms | welcome: p50 %.1f ms, "
                    + "p99 %.1f ms, max %.1f ms | history replies %d, RATE_LIMITED %d",
                    deliveries, p50, p99, max, welcomeP50, welcomeP99, welcomeMax, reads, limited);
        }
    }

    static double pct(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    static Figures phase(String uri, int readers, int seconds, int rate) throws Exception {
        Conn neighbour = Conn.open(uri);
        CompletableFuture<String> joined = new CompletableFuture<>();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        neighbour.handler = text -> {
            if (text.contains("\"type\":\"message\"")) {
                Matcher m = T.matcher(text);
                if (m.find()) {
                    latencies.add((System.nanoTime() - Long.parseLong(m.group(1))) / 1e6);
                }
            } else if (text.contains("\"type\":\"response\"")) {
                joined.complete(text);
            }
        };
        neighbour.send(command(id(), "join_channel", "{\"room\":\"calm\",\"channel\":\"feed\"}"));
        joined.get(30, TimeUnit.SECONDS);
        Conn publisher = Conn.open(uri);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        AtomicLong limited = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Conn> readerConns = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            Conn reader = Conn.open(uri);
            readerConns.add(reader);
            LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
            reader.handler = text -> {
                if (text.contains("\"type\":\"response\"")) {
                    replies.add(text);
                }
            };
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    while (running.get()) {
                        reader.send(command(id(), "history", "{\"room\":\"storm\",\"channel\":\"big\",\"limit\":1000}"));
                        String reply = replies.poll(30, TimeUnit.SECONDS);
                        if (reply == null) {
                            break;
                        }
                        if (reply.contains("\"RATE_LIMITED\"")) {
                            limited.incrementAndGet();
                            Matcher m = RETRY.matcher(reply);
                            Thread.sleep(m.find() ? Math.min(Long.parseLong(m.group(1)), 1000) : 100);
                        } else {
                            reads.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        Thread.sleep(1000); // let the storm start
        List<Double> welcomes = Collections.synchronizedList(new ArrayList<>());
        Thread welcomer = Thread.ofPlatform().start(() -> {
            while (running.get()) {
                Conn c = Conn.open(uri);
                welcomes.add(c.welcomeNanos.join() / 1e6);
                c.close();
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long periodNanos = 1_000_000_000L / rate;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long next = System.nanoTime();
        int sent = 0;
        while (System.nanoTime() < end) {
            publisher.send(publish("calm", "feed", "{\"t\":" + System.nanoTime() + "}"));
            sent++;
            next += periodNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        long drainEnd = System.nanoTime() + 10_000_000_000L;
        while (latencies.size() < sent && System.nanoTime() < drainEnd) {
            Thread.sleep(10);
        }
        running.set(false);
        welcomer.join(35_000);
        for (Thread t : threads) {
            t.join(35_000);
        }
        readerConns.forEach(Conn::close);
        neighbour.close();
        publisher.close();
        List<Double> l = new ArrayList<>(latencies);
        List<Double> w = new ArrayList<>(welcomes);
        return new Figures(l.size(), pct(l, 0.5), pct(l, 0.99), pct(l, 1.0), pct(w, 0.5), pct(w, 0.99), pct(w, 1.0),
                reads.get(), limited.get());
    }

    public static void main(String[] args) throws Exception {
        String uri = args.length > 0 ? args[0] : "ws://127.0.0.1:9100/";
        int readers = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 100;

        Conn filler = Conn.open(uri);
        String blob = "x".repeat(2000);
        for (int n = 0; n < 1000; n++) {
            filler.send(publish("storm", "big", "{\"n\":" + n + ",\"blob\":\"" + blob + "\"}"));
        }
        filler.close();
        Thread.sleep(1000);

        System.out.println("without readers: " + phase(uri, 0, seconds, rate));
        System.out.println("with " + readers + " readers: " + phase(uri, readers, seconds, rate));
        System.exit(0);
    }
}
