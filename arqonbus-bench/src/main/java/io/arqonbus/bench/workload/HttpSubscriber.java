package io.arqonbus.bench.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket subscriber (JDK client) of the channel the HTTP publish workload publishes to: it joins,
 * then records each publication's {@code payload.seq} once, counting duplicates.
 */
final class HttpSubscriber implements WebSocket.Listener, AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final StringBuilder partial = new StringBuilder();
    private final BitSet seen = new BitSet();
    private final CompletableFuture<Void> joined = new CompletableFuture<>();
    private long received;
    private long duplicates;
    private WebSocket socket;

    /** Connects to {@code uri} and joins {@code room:channel}; completes when the join was answered. */
    static HttpSubscriber join(URI uri, String room, String channel, Duration timeout) throws BenchException {
        HttpSubscriber subscriber = new HttpSubscriber();
        try {
            subscriber.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(timeout)
                    .buildAsync(uri, subscriber).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            subscriber.socket.sendText("{\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\""
                    + room + "\",\"channel\":\"" + channel + "\"}}", true);
            subscriber.joined.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while the subscriber joined");
        } catch (Exception e) {
            throw new BenchException("the WebSocket subscriber could not join " + room + ":" + channel + " at " + uri
                    + ": " + e);
        }
        return subscriber;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frame(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    private void frame(String text) {
        JsonNode frame;
        try {
            frame = MAPPER.readTree(text);
        } catch (Exception e) {
            return;
        }
        String type = frame.path("type").asText();
        if (type.equals("response") || type.equals("command_response")) {
            joined.complete(null);
        } else if (type.equals("message")) {
            JsonNode seq = frame.path("payload").path("seq");
            if (seq.isInt()) {
                synchronized (this) {
                    if (seen.get(seq.asInt())) {
                        duplicates++;
                    } else {
                        seen.set(seq.asInt());
                        received++;
                    }
                }
            }
        }
    }

    synchronized long received() {
        return received;
    }

    synchronized long duplicates() {
        return duplicates;
    }

    /** Whether publication {@code seq} arrived. */
    synchronized boolean has(int seq) {
        return seen.get(seq);
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }
}
