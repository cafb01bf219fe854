package io.arqonbus.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** A client's settings, fixed at {@link ArqonBusClientBuilder#build()}. */
record ClientSettings(URI uri, Supplier<String> tokenSupplier, ReconnectPolicy reconnect, Duration commandTimeout,
        Duration connectTimeout, int outboxCapacity, int maxPendingPublications, int maxPendingCommands,
        Map<String, String> headers, HttpClient httpClient, ConnectionListener connectionListener,
        FrameListener frameListener, Consumer<Throwable> errorHandler, Duration keepAliveInterval,
        Duration keepAliveTimeout) {
    /** The default outbox capacity. */
    static final int DEFAULT_OUTBOX = 1000;
    /** The default bound of pending commands and of pending durable publications. */
    static final int DEFAULT_PENDING = 1000;
    /** The default keep-alive interval: the server's own default ({@code ARQONBUS_KEEPALIVE_INTERVAL_SECONDS}). */
    static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(20);
    /** The default keep-alive timeout: the server's own default ({@code ARQONBUS_KEEPALIVE_TIMEOUT_SECONDS}). */
    static final Duration DEFAULT_KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);

    static final class Mutable {
        final URI uri;
        Supplier<String> tokenSupplier;
        ReconnectPolicy reconnect = ReconnectPolicy.defaults();
        Duration commandTimeout = Duration.ofSeconds(10);
        Duration connectTimeout = Duration.ofSeconds(10);
        int outboxCapacity = DEFAULT_OUTBOX;
        int maxPendingPublications = DEFAULT_PENDING;
        int maxPendingCommands = DEFAULT_PENDING;
        final Map<String, String> headers = new LinkedHashMap<>();
        HttpClient httpClient;
        ConnectionListener connectionListener = event -> { };
        FrameListener frameListener;
        Consumer<Throwable> errorHandler = Throwable::printStackTrace;
        /** Null: keep-alive off. */
        Duration keepAliveInterval = DEFAULT_KEEPALIVE_INTERVAL;
        Duration keepAliveTimeout = DEFAULT_KEEPALIVE_TIMEOUT;

        Mutable(URI uri) {
            String scheme = uri == null ? null : uri.getScheme();
            if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
                throw new IllegalArgumentException("uri: " + uri + " (expected: a ws:// or wss:// URI)");
            }
            this.uri = uri;
        }

        ClientSettings freeze() {
            HttpClient http = httpClient != null ? httpClient : HttpClient.newBuilder().connectTimeout(connectTimeout).build();
            var probe = http.newWebSocketBuilder();
            headers.forEach(probe::header); // fails now, with the JDK's sentence, on a header it does not allow
            return new ClientSettings(uri, tokenSupplier, reconnect, commandTimeout, connectTimeout, outboxCapacity,
                    maxPendingPublications, maxPendingCommands, Map.copyOf(headers), http, connectionListener,
                    frameListener, errorHandler, keepAliveInterval, keepAliveTimeout);
        }
    }
}
