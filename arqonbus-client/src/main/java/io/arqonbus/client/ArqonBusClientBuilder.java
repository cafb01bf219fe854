package io.arqonbus.client;

import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;

/** Builds a client; every setting has a default. */
public final class ArqonBusClientBuilder {
    private final ClientSettings.Mutable settings;

    ArqonBusClientBuilder(URI uri) {
        settings = new ClientSettings.Mutable(uri);
    }

    /**
     * The token source, called (on a virtual thread; it may block) before every connection
     * attempt, before the token expires (for {@code refresh}) and after a 4003 close.
     */
    public ArqonBusClientBuilder token(Supplier<String> supplier) {
        settings.tokenSupplier = supplier;
        return this;
    }

    /** The reconnect policy (default {@link ReconnectPolicy#defaults()}). */
    public ArqonBusClientBuilder reconnect(ReconnectPolicy policy) {
        settings.reconnect = java.util.Objects.requireNonNull(policy, "policy");
        return this;
    }

    /** How long a command waits for its reply (default 10 s). */
    public ArqonBusClientBuilder commandTimeout(Duration timeout) {
        settings.commandTimeout = positive(timeout, "commandTimeout");
        return this;
    }

    /** How long a connection attempt may take, handshake and welcome (default 10 s). */
    public ArqonBusClientBuilder connectTimeout(Duration timeout) {
        settings.connectTimeout = positive(timeout, "connectTimeout");
        return this;
    }

    /**
     * The keep-alive (default 20 s and 10 s, the server's own defaults): when nothing has arrived
     * from the server for {@code interval}, the client sends a WebSocket ping; when nothing (a pong
     * or any frame) arrives within {@code timeout} after it, the client drops the connection
     * (a {@link ClientState#DISCONNECTED} event with code 1006 and a reason starting
     * {@code keep-alive timeout}) and reconnects and recovers as after any broken connection. So a
     * server that went silent (a frozen process, a half-open connection after a network partition)
     * is noticed within {@code interval + timeout}.
     */
    public ArqonBusClientBuilder keepAlive(Duration interval, Duration timeout) {
        settings.keepAliveInterval = positive(interval, "keepAlive interval");
        settings.keepAliveTimeout = positive(timeout, "keepAlive timeout");
        return this;
    }

    /** No keep-alive: a silent server is noticed only when a command times out or the OS reports the connection broken. */
    public ArqonBusClientBuilder noKeepAlive() {
        settings.keepAliveInterval = null;
        settings.keepAliveTimeout = null;
        return this;
    }

    /** Frames kept while not connected (default {@value ClientSettings#DEFAULT_OUTBOX}). */
    public ArqonBusClientBuilder outboxCapacity(int capacity) {
        settings.outboxCapacity = atLeastOne(capacity, "outboxCapacity");
        return this;
    }

    /** Durable publications waiting for their ack (default {@value ClientSettings#DEFAULT_PENDING}). */
    public ArqonBusClientBuilder maxPendingPublications(int max) {
        settings.maxPendingPublications = atLeastOne(max, "maxPendingPublications");
        return this;
    }

    /** Commands waiting for their reply (default {@value ClientSettings#DEFAULT_PENDING}). */
    public ArqonBusClientBuilder maxPendingCommands(int max) {
        settings.maxPendingCommands = atLeastOne(max, "maxPendingCommands");
        return this;
    }

    /** An extra handshake header. */
    public ArqonBusClientBuilder header(String name, String value) {
        settings.headers.put(name, value);
        return this;
    }

    /** The HTTP client that opens the WebSockets (e.g. one trusting a private CA for {@code wss://}). */
    public ArqonBusClientBuilder httpClient(java.net.http.HttpClient client) {
        settings.httpClient = java.util.Objects.requireNonNull(client, "client");
        return this;
    }

    /** Told of every state change. */
    public ArqonBusClientBuilder onStateChange(ConnectionListener listener) {
        settings.connectionListener = java.util.Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Sees every frame the server sends (tools). */
    public ArqonBusClientBuilder onFrame(FrameListener listener) {
        settings.frameListener = listener;
        return this;
    }

    /** Told of exceptions thrown by listeners (default: printed to {@code System.err}). */
    public ArqonBusClientBuilder onListenerError(java.util.function.Consumer<Throwable> handler) {
        settings.errorHandler = java.util.Objects.requireNonNull(handler, "handler");
        return this;
    }

    /** The client, not connected yet: call {@link ArqonBusClient#connect()}. */
    public ArqonBusClient build() {
        return new ArqonBusClient(settings.freeze());
    }

    private static Duration positive(Duration value, String name) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
        return value;
    }

    private static int atLeastOne(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 1)");
        }
        return value;
    }
}
