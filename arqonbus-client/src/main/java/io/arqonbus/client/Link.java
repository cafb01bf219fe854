package io.arqonbus.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket connection (the JDK's {@link WebSocket}): whole text frames in, text frames out
 * through a bounded queue (the JDK allows one send at a time), and one end — a close frame's code,
 * or {@link CloseCodeTable#ABNORMAL} when the socket broke.
 */
final class Link implements WebSocket.Listener {
    /** What the client does with a link's frames and its end. Called on the JDK's reader thread. */
    interface Handler {
        /** The handshake is done; called before any frame of the link. */
        void onOpen(Link link);

        void onText(Link link, String text);

        void onEnd(Link link, int code, String reason);
    }

    private record Out(String text, CompletableFuture<Void> sent) {
    }

    private final Handler handler;
    private final int maxQueued;
    private final ArrayDeque<Out> queue = new ArrayDeque<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private boolean sending;
    private boolean ended;
    /** {@link System#nanoTime()} when the last frame of any kind arrived (or the link opened): the keep-alive's clock. */
    private volatile long lastHeard = System.nanoTime();

    private Link(Handler handler, int maxQueued) {
        this.handler = handler;
        this.maxQueued = maxQueued;
    }

    /** Opens a link; the future fails when the handshake does. */
    static CompletableFuture<Link> open(HttpClient http, URI uri, Map<String, String> headers, Duration timeout,
            Handler handler, int maxQueued) {
        Link link = new Link(handler, maxQueued);
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(timeout);
        headers.forEach(builder::header);
        return builder.buildAsync(uri, link).thenApply(ws -> link);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        synchronized (this) {
            socket = webSocket;
        }
        lastHeard = System.nanoTime();
        handler.onOpen(this);
        webSocket.request(1);
    }

    /** Sends a text frame; fails at once when the queue is full or the link has ended. */
    CompletableFuture<Void> send(String text) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        synchronized (this) {
            if (ended) {
                sent.completeExceptionally(new ArqonBusException(ArqonBusException.CONNECTION_LOST,
                        "The connection has ended; nothing more can be sent on it"));
                return sent;
            }
            if (queue.size() >= maxQueued) {
                sent.completeExceptionally(new ArqonBusException(ArqonBusException.OUTBOX_FULL,
                        "The send queue holds " + maxQueued + " frames already; try again once it drains"));
                return sent;
            }
            queue.addLast(new Out(text, sent));
            if (sending) {
                return sent;
            }
            sending = true;
        }
        sendNext();
        return sent;
    }

    private void sendNext() {
        Out next;
        WebSocket ws;
        synchronized (this) {
            next = queue.pollFirst();
            ws = socket;
            if (next == null || ended) {
                sending = false;
                if (next != null) {
                    queue.addFirst(next);
                }
                return;
            }
        }
        ws.sendText(next.text(), true).whenComplete((w, error) -> {
            if (error != null) {
                next.sent().completeExceptionally(new ArqonBusException(ArqonBusException.CONNECTION_LOST,
                        "The frame could not be sent: " + error.getMessage()));
            } else {
                next.sent().complete(null);
            }
            sendNext();
        });
    }

    /** Sends a close frame behind what is queued; drops the socket if the server does not answer in 5 s. */
    void close(int code, String reason) {
        WebSocket ws;
        synchronized (this) {
            ws = socket;
        }
        if (ws == null) {
            return;
        }
        ws.sendClose(code, reason).whenComplete((w, e) -> {
            if (e != null) {
                ws.abort();
            }
        });
        CompletableFuture.delayedExecutor(5, TimeUnit.SECONDS).execute(() -> {
            if (!ws.isInputClosed()) {
                ws.abort();
            }
        });
    }

    /** Drops the socket without a close handshake. */
    void abort() {
        abort("connection aborted by the client");
    }

    /** Drops the socket without a close handshake; the link ends with 1006 and {@code reason}. */
    void abort(String reason) {
        WebSocket ws;
        synchronized (this) {
            ws = socket;
        }
        if (ws != null) {
            ws.abort();
        }
        end(CloseCodeTable.ABNORMAL, reason);
    }

    /** Sends a WebSocket ping (for the keep-alive); a failure to send is left to the keep-alive's timeout. */
    void ping() {
        WebSocket ws;
        synchronized (this) {
            ws = socket;
        }
        if (ws != null) {
            try {
                ws.sendPing(ByteBuffer.allocate(0)).exceptionally(e -> null);
            } catch (RuntimeException e) {
                // e.g. a ping still being sent: the timeout decides
            }
        }
    }

    /** When the last frame of any kind arrived, in {@link System#nanoTime()}. */
    long lastHeard() {
        return lastHeard;
    }

    synchronized boolean hasEnded() {
        return ended;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        lastHeard = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        lastHeard = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        lastHeard = System.nanoTime();
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            handler.onText(this, text);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        lastHeard = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        end(statusCode, reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        end(CloseCodeTable.ABNORMAL, error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
    }

    private void end(int code, String reason) {
        ArqonBusException lost;
        ArrayDeque<Out> unsent;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            unsent = new ArrayDeque<>(queue);
            queue.clear();
            lost = new ArqonBusException(ArqonBusException.CONNECTION_LOST,
                    "The connection ended (" + code + " " + reason + ") before the frame was sent");
        }
        unsent.forEach(out -> out.sent().completeExceptionally(lost));
        handler.onEnd(this, code, reason == null ? "" : reason);
    }
}
