package io.arqonbus.server.config;

import java.util.List;
import java.util.Objects;

/**
 * What one connection, and the server as a whole, may take: message and frame sizes, connection
 * counts, refused frames, pending output and the slow-consumer policy, channel and subscription
 * counts, telemetry clients and the browser origins allowed to connect.
 *
 * @param maxMessageSize                largest message accepted; larger ones get {@code PAYLOAD_TOO_LARGE}
 * @param maxFrameSize                  largest WebSocket frame read at all (by default 4 x max message size);
 *                                      larger ones close the connection with 1009
 * @param maxConnections                concurrent bus connections; more are closed with 1013
 * @param maxConnectionsPerClient       connections one authenticated subject may hold at once; 0 = no bound
 * @param maxViolations                 consecutive protocol violations before a close with 4000
 * @param maxPendingBytes               pending output bytes per connection before the slow-consumer policy applies
 * @param slowConsumerPolicy            what happens to a slow consumer
 * @param maxChannelsPerConnection      channels one connection may be a member of
 * @param maxSubscriptionsPerConnection filtered subscriptions one connection may hold
 * @param telemetryMaxClients           telemetry WebSocket clients at once
 * @param allowedOrigins                browser origins allowed to connect; empty allows every origin
 * @param maxPendingHandshakes          bus connections accepted but not yet welcomed (TCP accepted, upgrade,
 *                                      token check, session set-up) past which a new upgrade is answered
 *                                      at once and closed with 1013 instead of queuing; 0 = no bound
 */
public record ConnectionLimits(int maxMessageSize, int maxFrameSize, int maxConnections, int maxConnectionsPerClient,
        int maxViolations, int maxPendingBytes, SlowConsumerPolicy slowConsumerPolicy, int maxChannelsPerConnection,
        int maxSubscriptionsPerConnection, int telemetryMaxClients, List<String> allowedOrigins,
        int maxPendingHandshakes) {
    /** Default largest accepted message, in bytes: {@value} (1 MiB). */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 1_048_576;
    /** Default maximum number of concurrent bus connections: {@value}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    /** Default number of connections one authenticated subject may hold at once: {@value}. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 100;
    /** Default consecutive protocol violations before a close with 4000: {@value}. */
    public static final int DEFAULT_MAX_VIOLATIONS = 10;
    /** Default pending output per connection before the slow-consumer policy applies: {@value} bytes. */
    public static final int DEFAULT_MAX_PENDING_BYTES = 4 * 1024 * 1024;
    /** Default number of channels one connection may be a member of: {@value}. */
    public static final int DEFAULT_MAX_CHANNELS_PER_CONNECTION = 1_000;
    /** Filtered subscriptions one connection may hold by default: {@value}. */
    public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION = 32;
    /** Default maximum telemetry WebSocket clients: {@value}. */
    public static final int DEFAULT_TELEMETRY_MAX_CLIENTS = 500;

    /**
     * Default bound on handshakes in progress before new ones are shed with 1013: {@value}. A
     * backstop for memory and descriptors; a server that is behind sheds by how long an upgrade
     * waited (half the handshake timeout), not by this count.
     */
    public static final int DEFAULT_MAX_PENDING_HANDSHAKES = 10_000;

    /** The frame size that goes with a message size when none is set: four times it. */
    public static int defaultFrameSize(int maxMessageSize) {
        return (int) Math.min(Integer.MAX_VALUE - 16, 4L * maxMessageSize);
    }

    /** @throws ConfigException naming the setting that is out of range */
    public ConnectionLimits {
        Objects.requireNonNull(slowConsumerPolicy, "slowConsumerPolicy");
        allowedOrigins = List.copyOf(allowedOrigins);
        ConfigException.check(maxMessageSize >= 1024, "max message size: %d (expected: >= 1024)", maxMessageSize);
        ConfigException.check(maxFrameSize >= maxMessageSize,
                "max frame size: %d (expected: >= max message size %d)", maxFrameSize, maxMessageSize);
        ConfigException.check(maxConnections > 0, "max connections: %d (expected: > 0)", maxConnections);
        ConfigException.check(maxConnectionsPerClient >= 0, "max connections per client: %d (expected: >= 0)",
                maxConnectionsPerClient);
        ConfigException.check(maxViolations > 0, "max violations: %d (expected: > 0)", maxViolations);
        ConfigException.check(maxPendingBytes >= 64 * 1024, "max pending bytes: %d (expected: >= 65536)",
                maxPendingBytes);
        ConfigException.check(maxChannelsPerConnection > 0, "max channels per connection: %d (expected: > 0)",
                maxChannelsPerConnection);
        ConfigException.check(maxSubscriptionsPerConnection > 0,
                "max subscriptions per connection: %d (expected: > 0)", maxSubscriptionsPerConnection);
        ConfigException.check(maxPendingHandshakes >= 0, "max pending handshakes: %d (expected: >= 0)",
                maxPendingHandshakes);
        ConfigException.check(telemetryMaxClients > 0, "telemetry max clients: %d (expected: > 0)",
                telemetryMaxClients);
    }
}
