package io.arqonbus.server.internal.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP receiver on 127.0.0.1 for webhook tests: records every request and answers 500 to
 * the first {@link #failFirst} of them (or always a fixed status), 200 otherwise.
 */
final class Receiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    record Request(String path, Map<String, List<String>> headers, byte[] body, int answered, long receivedNanos) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile int failStatus = 500;
    private volatile int alwaysStatus;
    private volatile String retryAfter;
    private volatile long answerAfterMillis;
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", exchange -> {
            long received = System.nanoTime();
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = alwaysStatus != 0 ? alwaysStatus
                    : failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? failStatus : 200;
            requests.add(new Request(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
                    body, status, received));
            long slow = answerAfterMillis;
            if (slow > 0) {
                try {
                    Thread.sleep(slow); // a slow endpoint (a receiver's thread, not the server's)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String after = retryAfter;
            if (after != null && status != 200) {
                exchange.getResponseHeaders().add("Retry-After", after);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            concurrent.decrementAndGet();
        });
        server.start();
    }

    /** The next {@code n} requests are answered with 500. */
    Receiver failFirst(int n) {
        failures.set(n);
        return this;
    }

    /** Every request is answered with {@code status} (0: back to normal). */
    Receiver always(int status) {
        alwaysStatus = status;
        return this;
    }

    /** Failed answers (of {@link #failFirst}) have this status. */
    Receiver failStatus(int status) {
        failStatus = status;
        return this;
    }

    /** The most requests it was answering at once. */
    int maxConcurrent() {
        return maxConcurrent.get();
    }

    /** Failed answers carry {@code Retry-After: value} (null: none). */
    Receiver retryAfter(String value) {
        retryAfter = value;
        return this;
    }

    /** Every answer comes this late (0: at once): a slow endpoint. */
    Receiver answerAfter(long millis) {
        answerAfterMillis = millis;
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests answered with 200. */
    List<Request> delivered() {
        return requests.stream().filter(r -> r.answered() == 200).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
