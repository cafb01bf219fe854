package io.arqonbus.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one connection open: opens a {@link Link} with a token from the supplier, waits for the
 * welcome, and when the link ends applies the {@link CloseCodeTable}: reconnect after the
 * {@link ReconnectPolicy}'s delay, ask the supplier for a new token after 4003, or stop. Also
 * sends {@code refresh} before the token expires, and watches the link with a {@link KeepAlive}.
 * Timers run on one daemon thread; at most one reconnect, one welcome deadline, one refresh and
 * one keep-alive check are scheduled at a time.
 */
final class Reconnector implements Link.Handler {
    /** What the client does at each step. */
    interface Events {
        /** The welcome arrived: rejoin, resend, flush. Called with the reconnector's monitor held. */
        void connected();

        void frame(Envelope frame, String json);

        /** The link ended with {@code code}; a reconnect may follow. */
        void disconnected(int code, String reason);

        /** Final. */
        void stopped(ArqonBusException why);

        CompletableFuture<Envelope> command(String name, ObjectNode args);
    }

    private final ClientSettings settings;
    private final EnvelopeCodec codec;
    private final Events events;
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
    private ScheduledExecutorService timers;
    private ClientState state = ClientState.CONNECTING;
    private boolean started;
    private Link link;
    private boolean welcomed;
    private String clientId;
    private String token;
    private String nextToken;
    private String attemptToken;
    private int attempt;
    private ScheduledFuture<?> refreshTimer;

    Reconnector(ClientSettings settings, EnvelopeCodec codec, Events events) {
        this.settings = settings;
        this.codec = codec;
        this.events = events;
    }

    synchronized CompletableFuture<Void> start() {
        if (!started && state != ClientState.CLOSED) {
            started = true;
            timers = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "arqonbus-client-timers");
                t.setDaemon(true);
                return t;
            });
            attemptNow();
        }
        return firstConnect;
    }

    synchronized ClientState state() {
        return state;
    }

    synchronized String clientId() {
        return clientId;
    }

    /** Whether frames can be sent now (connected and welcomed). */
    synchronized boolean isReady() {
        return state == ClientState.CONNECTED && link != null;
    }

    synchronized CompletableFuture<Void> send(String json) {
        if (link == null) {
            return CompletableFuture.failedFuture(new ArqonBusException(ArqonBusException.CONNECTION_LOST,
                    "Not connected"));
        }
        return link.send(json);
    }

    private void attemptNow() {
        setState(new ConnectionEvent(ClientState.CONNECTING, 0, "", null));
        Thread.ofVirtual().name("arqonbus-connect").start(() -> {
            String candidate;
            try {
                synchronized (this) {
                    candidate = nextToken;
                    nextToken = null;
                }
                if (candidate == null && settings.tokenSupplier() != null) {
                    candidate = settings.tokenSupplier().get();
                }
            } catch (RuntimeException e) {
                opened(null, e, null);
                return;
            }
            String used = candidate;
            synchronized (this) {
                attemptToken = used;
            }
            Map<String, String> headers = new LinkedHashMap<>(settings.headers());
            if (used != null) {
                headers.put("Authorization", "Bearer " + used);
            }
            try {
                Link.open(settings.httpClient(), settings.uri(), headers, settings.connectTimeout(), this,
                                settings.outboxCapacity() + settings.maxPendingCommands() + settings.maxPendingPublications())
                        .whenComplete((opened, error) -> opened(opened, error, used));
            } catch (RuntimeException e) {
                opened(null, e, used);
            }
        });
    }

    /** The handshake's outcome: a failure ends the attempt (a success was taken by {@link #onOpen}). */
    private synchronized void opened(Link opened, Throwable error, String usedToken) {
        if (error == null || state == ClientState.CLOSED) {
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof WebSocketHandshakeException refused) {
            int status = refused.getResponse().statusCode();
            if (status == 401 || status == 403) {
                // A refused credential: like 4003, come back only with a different token.
                reconnectWithNewToken(1008, "handshake refused: HTTP " + status, usedToken);
                return;
            }
            ended(status == 503 ? 1013 : CloseCodeTable.ABNORMAL, "handshake refused: HTTP " + status);
            return;
        }
        ended(CloseCodeTable.ABNORMAL, cause instanceof HttpTimeoutException ? "connect timed out"
                : "cannot connect: " + cause);
    }

    @Override
    public synchronized void onOpen(Link opened) {
        if (state == ClientState.CLOSED) {
            opened.close(CloseCodeTable.NORMAL, "bye");
            return;
        }
        link = opened;
        token = attemptToken;
        welcomed = false;
        KeepAlive.watch(opened, timers, settings.keepAliveInterval(), settings.keepAliveTimeout());
        timers.schedule(() -> {
            synchronized (this) {
                if (link == opened && !welcomed) {
                    opened.abort();
                }
            }
        }, settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onText(Link from, String text) {
        Envelope frame;
        try {
            frame = codec.decodeStored(text.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return; // not an envelope: nothing the SDK can route
        }
        synchronized (this) {
            if (from != link) {
                return;
            }
            if (!welcomed) {
                welcomed = true;
                clientId = frame.payload().path("client_id").asText(null);
                attempt = 0;
                setState(ConnectionEvent.of(ClientState.CONNECTED));
                events.connected();
                scheduleRefresh();
                firstConnect.complete(null);
            }
        }
        events.frame(frame, text);
    }

    @Override
    public synchronized void onEnd(Link from, int code, String reason) {
        if (from != link) {
            return;
        }
        link = null;
        welcomed = false;
        cancelRefresh();
        if (state != ClientState.CLOSED) {
            ended(code, reason);
        }
    }

    private void ended(int code, String reason) {
        events.disconnected(code, reason);
        switch (CloseCodeTable.actionFor(code)) {
            case STOP -> stop(code, reason);
            case RECONNECT -> scheduleReconnect(code, reason);
            case RECONNECT_WITH_NEW_TOKEN -> reconnectWithNewToken(code, reason, token);
        }
    }

    /**
     * Asks the token supplier (off the caller's thread) for a token other than {@code refused}:
     * with one, reconnects with it after the backoff; without one, stops with {@code code}.
     */
    private void reconnectWithNewToken(int code, String reason, String refused) {
        Thread.ofVirtual().name("arqonbus-token").start(() -> {
            String fresh;
            try {
                fresh = settings.tokenSupplier() == null ? null : settings.tokenSupplier().get();
            } catch (RuntimeException e) {
                fresh = null;
            }
            synchronized (this) {
                if (state == ClientState.CLOSED) {
                    return;
                }
                if (fresh == null || fresh.equals(refused)) {
                    stop(code, reason + "; the token supplier has no new token");
                } else {
                    nextToken = fresh;
                    scheduleReconnect(code, reason);
                }
            }
        });
    }

    private void scheduleReconnect(int code, String reason) {
        ReconnectPolicy policy = settings.reconnect();
        if (!policy.allows(attempt)) {
            stop(code, policy.maxAttempts() == 0 ? reason
                    : reason + "; gave up after " + attempt + " reconnect attempts");
            return;
        }
        Duration delay = policy.delay(attempt++, ThreadLocalRandom.current());
        setState(new ConnectionEvent(ClientState.DISCONNECTED, code, reason, delay));
        timers.schedule(() -> {
            synchronized (this) {
                if (state != ClientState.CLOSED) {
                    attemptNow();
                }
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stop(int code, String reason) {
        if (state == ClientState.CLOSED) {
            return;
        }
        setState(new ConnectionEvent(ClientState.CLOSED, code, reason, null));
        ArqonBusException why = new ArqonBusException(ArqonBusException.CLOSED,
                "The client stopped (" + code + " " + reason + ")");
        events.stopped(why);
        firstConnect.completeExceptionally(why);
        cancelRefresh();
        if (timers != null) {
            timers.shutdownNow();
        }
    }

    synchronized void close() {
        Link open = link;
        link = null;
        stop(CloseCodeTable.NORMAL, "closed by the application");
        if (open != null) {
            open.close(CloseCodeTable.NORMAL, "bye");
        }
    }

    private void setState(ConnectionEvent event) {
        state = event.state();
        try {
            settings.connectionListener().onEvent(event);
        } catch (RuntimeException e) {
            settings.errorHandler().accept(e);
        }
    }

    /** Schedules {@code refresh} a little before the token's {@code exp}: a quarter of its life left, at most 30 s. */
    private void scheduleRefresh() {
        cancelRefresh();
        if (settings.tokenSupplier() == null) {
            return;
        }
        TokenExpiry.of(token, codec.mapper()).ifPresent(exp -> {
            long left = Duration.between(Instant.now(), exp).toMillis();
            long lead = Math.min(30_000, Math.max(0, left / 4));
            refreshTimer = timers.schedule(this::refreshNow, Math.max(0, left - lead), TimeUnit.MILLISECONDS);
        });
    }

    private void cancelRefresh() {
        if (refreshTimer != null) {
            refreshTimer.cancel(false);
            refreshTimer = null;
        }
    }

    CompletableFuture<Envelope> refreshNow() {
        if (settings.tokenSupplier() == null) {
            return CompletableFuture.failedFuture(new ArqonBusException(ArqonBusException.NOT_CONNECTED,
                    "No token supplier: nothing to refresh with"));
        }
        CompletableFuture<String> fresh = new CompletableFuture<>();
        Thread.ofVirtual().name("arqonbus-token").start(() -> {
            try {
                fresh.complete(settings.tokenSupplier().get());
            } catch (RuntimeException e) {
                fresh.completeExceptionally(e);
            }
        });
        return fresh.thenCompose(candidate -> {
            ObjectNode args = JsonNodeFactory.instance.objectNode().put("token", candidate);
            return events.command("refresh", args).thenApply(reply -> {
                synchronized (this) {
                    token = candidate;
                    if (state == ClientState.CONNECTED) {
                        scheduleRefresh();
                    }
                }
                return reply;
            });
        });
    }
}
