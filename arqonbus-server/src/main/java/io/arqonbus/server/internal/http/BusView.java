package io.arqonbus.server.internal.http;

import io.arqonbus.server.internal.metrics.MetricsFormat;
import io.arqonbus.server.status.Readiness;
import io.arqonbus.server.status.ServerInfo;
import java.time.Instant;
import java.util.Map;

/**
 * The read-only facts the HTTP endpoints report, so that they do not depend on the whole server.
 * Every method is cheap, never blocks and may be called from any thread.
 */
public interface BusView {
    /** Whether the server accepts traffic. */
    Readiness readiness();

    /** Version, build and start time. */
    ServerInfo info();

    /** The current time. */
    Instant now();

    /** Seconds since start. */
    double uptimeSeconds();

    /** {@code ws://host:port} of the bus port. */
    String websocketUrl();

    /** {@code ws://host:port} of the telemetry port, or {@code null} when disabled. */
    String telemetryUrl();

    /** {@code http://host:port} of the HTTP port, or {@code null} before it is bound. */
    String httpUrl();

    /** Live bus sessions. */
    int activeClients();

    /** Open bus WebSocket connections (including ones not yet registered as sessions). */
    int websocketConnections();

    /** Open telemetry WebSocket connections. */
    int telemetryConnections();

    /** Live sessions by client type, sorted by type. */
    Map<String, Integer> clientsByType();

    /** Rooms with at least one channel. */
    int rooms();

    /** Channels. */
    int channels();

    /** Publications accepted by the hub (channel and room). */
    long publishedTotal();

    /** Envelopes received from clients. */
    long receivedTotal();

    /** Frames written to clients. */
    long deliveredTotal();

    /** The history store's short name, e.g. {@code memory}. */
    String storageBackend();

    /** Messages kept in history. */
    long historySize();

    /** Direct memory the in-memory history takes, bytes (0 when none is kept in memory). */
    default long historyBytes() {
        return 0;
    }

    /** The Prometheus text exposition (format 0.0.4) of every meter. */
    String scrapeMetrics();

    /** Every meter in the given exposition format (may read {@code /proc}: not on an event loop). */
    default String scrapeMetrics(MetricsFormat format) {
        return scrapeMetrics();
    }

    /**
     * In cluster mode, {@code {"node", "nodes":[{"node","clients","last_heartbeat"}…]}} (the nodes
     * whose heartbeat has not expired); {@code null} on a single node.
     */
    default java.util.concurrent.CompletionStage<com.fasterxml.jackson.databind.node.ObjectNode> cluster() {
        return null;
    }
}
