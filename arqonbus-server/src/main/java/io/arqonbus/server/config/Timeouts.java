package io.arqonbus.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The server's clocks: keepalive, idle and handshake timeouts, the wait for a close frame, the
 * shutdown grace and the interval of the periodic stats.
 *
 * @param keepAliveInterval keepalive ping interval; zero disables keepalive
 * @param keepAliveTimeout  time to wait for a pong before closing with 1011
 * @param idleTimeout       time without a message from the client before a close with 4004; zero = off
 * @param handshakeTimeout  time a new connection has to complete its WebSocket upgrade
 * @param closeWait         time a peer has to take a close frame before the socket is dropped
 * @param shutdownGrace     time given to clients to go away on shutdown
 * @param statsInterval     interval of the periodic stats log line and telemetry {@code stats} event; zero = off
 */
public record Timeouts(Duration keepAliveInterval, Duration keepAliveTimeout, Duration idleTimeout,
        Duration handshakeTimeout, Duration closeWait, Duration shutdownGrace, Duration statsInterval) {
    /** Default keepalive ping interval: 20 s. */
    public static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(20);
    /** Default time to wait for a pong before closing: 10 s. */
    public static final Duration DEFAULT_KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);
    /** Default idle timeout: off (keepalive pings still find dead peers). */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ZERO;
    /** Default time a new connection has to complete its WebSocket upgrade: 10 s. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** How long a peer has to take a close frame before the socket is dropped: 2 s. */
    public static final Duration DEFAULT_CLOSE_WAIT = Duration.ofSeconds(2);
    /** Default time given to clients to go away on shutdown: 5 s. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);
    /** Default interval of the periodic stats log line and telemetry {@code stats} event: 60 s. */
    public static final Duration DEFAULT_STATS_INTERVAL = Duration.ofSeconds(60);

    /** @throws ConfigException naming the setting that is out of range */
    public Timeouts {
        Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
        Objects.requireNonNull(keepAliveTimeout, "keepAliveTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(closeWait, "closeWait");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(statsInterval, "statsInterval");
        ConfigException.check(!keepAliveInterval.isNegative(), "keepalive interval: %s (expected: >= 0)",
                keepAliveInterval);
        ConfigException.check(keepAliveTimeout.isPositive(), "keepalive timeout: %s (expected: > 0)", keepAliveTimeout);
        ConfigException.check(!idleTimeout.isNegative(), "idle timeout: %s (expected: >= 0)", idleTimeout);
        ConfigException.check(handshakeTimeout.isPositive(), "handshake timeout: %s (expected: > 0)", handshakeTimeout);
        ConfigException.check(closeWait.isPositive(), "close wait: %s (expected: > 0)", closeWait);
        ConfigException.check(!shutdownGrace.isNegative(), "shutdown grace: %s (expected: >= 0)", shutdownGrace);
        ConfigException.check(!statsInterval.isNegative(), "stats interval: %s (expected: >= 0)", statsInterval);
    }
}
