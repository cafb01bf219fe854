package io.arqonbus.server.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A raw WebSocket client for tests, built on the JDK's {@link java.net.http.WebSocket}: it keeps
 * every frame and lets a test read them one by one. Applications use the SDK,
 * {@code io.arqonbus.client.ArqonBusClient}, instead (reconnect, recovery, typed envelopes,
 * bounded buffers); this helper's frame queue is not bounded, which a test that reads what it
 * caused can afford.
 *
 * <p>Every frame the server sends is kept, in order, as a JSON tree; {@link #next(Duration)} and
 * {@link #await(Predicate, Duration)} read them. Commands return futures completed by the
 * {@code response} whose {@code request_id} matches. Safe for use from several threads.
 *
 * <pre>{@code
 * try (TestClient client = TestClient.connect(URI.create("ws://127.0.0.1:9100")).join()) {
 *     client.joinChannel("science", "explore").join();
 *     client.publish("science", "explore", Map.of("text", "hello"));
 * }
 * }</pre>
 */
public final class TestClient implements AutoCloseable {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    private final CompletableFuture<JsonNode> welcome = new CompletableFuture<>();
    private final AtomicLong requestCounter = new AtomicLong();
    private final String requestPrefix = "arq_req_" + Long.toHexString(System.nanoTime()) + "_";
    private volatile WebSocket socket;
    /** The JDK WebSocket allows one outstanding send: each send waits for the one before it. */
    private CompletableFuture<WebSocket> lastSend;

    private TestClient() {
    }

    /** Connects with no extra headers. */
    public static CompletableFuture<TestClient> connect(URI uri) {
        return connect(uri, Map.of());
    }

    /**
     * Connects and completes once the server's welcome frame has arrived.
     *
     * @param uri     {@code ws://host:port/…}
     * @param headers extra handshake headers, e.g. {@code Authorization: Bearer …}
     */
    public static CompletableFuture<TestClient> connect(URI uri, Map<String, String> headers) {
        return connect(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), uri, headers);
    }

    /**
     * Connects through the given HTTP client, e.g. one whose {@code SSLContext} trusts the
     * server's certificate for {@code wss://}, and completes once the welcome has arrived.
     *
     * @param http    the client that opens the WebSocket
     * @param uri     {@code ws://host:port/…} or {@code wss://host:port/…}
     * @param headers extra handshake headers, e.g. {@code Authorization: Bearer …}
     */
    public static CompletableFuture<TestClient> connect(HttpClient http, URI uri, Map<String, String> headers) {
        TestClient client = new TestClient();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        return builder.buildAsync(uri, client.new Listener())
                .thenCompose(ws -> {
                    client.socket = ws;
                    client.lastSend = CompletableFuture.completedFuture(ws);
                    return client.welcome;
                })
                .thenApply(w -> client);
    }

    /** The welcome frame the server sent first. */
    public JsonNode welcome() {
        return welcome.join();
    }

    /** The client id the server assigned in its welcome. */
    public String clientId() {
        return welcome().path("payload").path("client_id").asText();
    }

    /** Sends one raw text frame. */
    public CompletableFuture<WebSocket> sendText(String text) {
        synchronized (this) {
            lastSend = lastSend.exceptionally(e -> socket).thenCompose(ws -> ws.sendText(text, true));
            return lastSend;
        }
    }

    /** Sends one JSON object as a text frame. */
    public CompletableFuture<WebSocket> send(JsonNode json) {
        return sendText(json.toString());
    }

    /** Sends one binary frame (the server answers with an error frame). */
    public CompletableFuture<WebSocket> sendBinary(byte[] data) {
        synchronized (this) {
            lastSend = lastSend.exceptionally(e -> socket)
                    .thenCompose(ws -> ws.sendBinary(ByteBuffer.wrap(data), true));
            return lastSend;
        }
    }

    /** A new, empty JSON object for building frames. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Parses JSON text (for building frames in tests and examples). */
    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends a command and completes with the server's {@code response} to it (success or error).
     *
     * @param name the command, e.g. {@code join_channel}
     * @param args the arguments object, may be {@code null}
     */
    public CompletableFuture<JsonNode> command(String name, JsonNode args) {
        String id = requestPrefix + requestCounter.incrementAndGet();
        ObjectNode frame = object();
        frame.put("id", id);
        frame.put("type", "command");
        frame.put("command", name);
        frame.set("args", args == null ? object() : args);
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        send(frame).whenComplete((ws, error) -> {
            if (error != null) {
                pending.remove(id);
                reply.completeExceptionally(error);
            }
        });
        return reply;
    }

    /** Joins {@code room:channel}; completes with the response. */
    public CompletableFuture<JsonNode> joinChannel(String room, String channel) {
        ObjectNode args = object();
        args.put("room", room);
        args.put("channel", channel);
        return command("join_channel", args);
    }

    /** Leaves {@code room:channel}; completes with the response. */
    public CompletableFuture<JsonNode> leaveChannel(String room, String channel) {
        ObjectNode args = object();
        args.put("room", room);
        args.put("channel", channel);
        return command("leave_channel", args);
    }

    /** Publishes a message to {@code room:channel}. */
    public CompletableFuture<WebSocket> publish(String room, String channel, Object payload) {
        ObjectNode frame = object();
        frame.put("type", "message");
        frame.put("room", room);
        frame.put("channel", channel);
        frame.set("payload", MAPPER.valueToTree(payload));
        return send(frame);
    }

    /** The next frame, waiting at most {@code timeout}. */
    public JsonNode next(Duration timeout) throws TimeoutException {
        try {
            JsonNode frame = frames.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (frame == null) {
                throw new TimeoutException("no frame within " + timeout);
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next frame, or {@code null} if none arrives within {@code timeout}. */
    public JsonNode poll(Duration timeout) {
        try {
            return frames.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Skips frames until one matches, waiting at most {@code timeout} in all. */
    public JsonNode await(Predicate<JsonNode> match, Duration timeout) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("no matching frame within " + timeout);
            }
            JsonNode frame = next(Duration.ofNanos(left));
            if (match.test(frame)) {
                return frame;
            }
        }
    }

    /** Every frame received so far and not yet read, without waiting. */
    public List<JsonNode> drain() {
        List<JsonNode> out = new ArrayList<>();
        frames.drainTo(out);
        return out;
    }

    /** Completes when the connection has ended, with the close code and reason. */
    public CompletableFuture<CloseStatus> closeFuture() {
        return closed;
    }

    /** Whether the connection has ended. */
    public boolean isClosed() {
        return closed.isDone();
    }

    /** Sends a normal close (1000) and waits up to five seconds for the server's close. */
    @Override
    public void close() {
        WebSocket ws = socket;
        if (ws == null || closed.isDone()) {
            return;
        }
        try {
            CompletableFuture<WebSocket> closing;
            synchronized (this) {
                closing = lastSend.exceptionally(e -> ws)
                        .thenCompose(w -> w.sendClose(WebSocket.NORMAL_CLOSURE, "bye"));
            }
            closing.get(5, TimeUnit.SECONDS);
            closed.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            ws.abort();
        }
    }

    /** Drops the TCP connection without a close handshake. */
    public void abort() {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        closed.complete(CloseStatus.abnormal(null));
    }

    private void onFrame(String text) {
        JsonNode frame;
        try {
            frame = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            frame = MAPPER.getNodeFactory().textNode(text);
        }
        if (!welcome.isDone()) {
            welcome.complete(frame);
            return;
        }
        if ("response".equals(frame.path("type").asText())) {
            CompletableFuture<JsonNode> reply = pending.remove(frame.path("request_id").asText());
            if (reply != null) {
                reply.complete(frame);
            }
        }
        frames.add(frame);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                onFrame(text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            CloseStatus status = new CloseStatus(statusCode, reason);
            closed.complete(status);
            failPending(new IllegalStateException("connection closed: " + statusCode + " " + reason));
            welcome.completeExceptionally(new IllegalStateException("closed before welcome: " + status));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(CloseStatus.abnormal(error));
            failPending(error);
            welcome.completeExceptionally(error);
        }
    }

    private void failPending(Throwable error) {
        for (var id : List.copyOf(pending.keySet())) {
            CompletableFuture<JsonNode> reply = pending.remove(id);
            if (reply != null) {
                reply.completeExceptionally(error);
            }
        }
    }

    @Override
    public String toString() {
        return "TestClient[" + (welcome.isDone() && !welcome.isCompletedExceptionally() ? clientId() : "connecting") + "]";
    }

    static <T> T requireNonNull(T value, String name) {
        return Objects.requireNonNull(value, name);
    }
}
