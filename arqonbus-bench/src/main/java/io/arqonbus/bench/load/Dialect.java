package io.arqonbus.bench.load;

import java.net.URI;
import java.util.Locale;

/**
 * The protocol a load run speaks. {@code arqonbus}: the real ArqonBus protocol (welcome frame,
 * {@code join_channel} command answered by a {@code response}, {@code message} envelopes).
 * {@code floor}: the same frames against the floor server. {@code floor-path}: the floor in its
 * path mode ({@code bench floor --mode path}): a connection's group is its URL path
 * {@code /<room>/<channel>}, there is no join frame, and the same message frames are forwarded
 * unread. {@code socketio}: Socket.IO 4 over a raw Engine.IO v4 WebSocket against
 * bench/socketio/server.js. {@code nats}: the NATS client protocol over plain TCP against
 * {@code nats-server} ({@link NatsCodec}; a channel is the subject {@code <room>.<channel>}, joining
 * is {@code SUB} followed by a {@code PING} whose {@code PONG} confirms it). {@code jetstream}:
 * NATS JetStream through the official client {@code io.nats:jnats}, for {@code bench durable} only.
 */
public enum Dialect {
    ARQONBUS("arqonbus"),
    FLOOR("floor"),
    FLOOR_PATH("floor-path"),
    SOCKETIO("socketio"),
    NATS("nats"),
    JETSTREAM("jetstream");

    private final String label;

    Dialect(String label) {
        this.label = label;
    }

    /** The name used on the command line and in the JSON result. */
    public String label() {
        return label;
    }

    /** Parses a dialect's {@linkplain #label() label} (case-insensitive). */
    public static Dialect parse(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (Dialect dialect : values()) {
            if (dialect.label.equals(wanted)) {
                return dialect;
            }
        }
        throw new IllegalArgumentException("unknown dialect '" + text
                + "' (expected arqonbus, floor, floor-path, socketio, nats or jetstream)");
    }

    /** Whether this is Socket.IO (Engine.IO packets) rather than JSON envelopes. */
    public boolean socketIo() {
        return this == SOCKETIO;
    }

    /** Whether this speaks the NATS client protocol over TCP ({@code nats}, {@code jetstream}) rather than WebSocket. */
    public boolean nats() {
        return this == NATS || this == JETSTREAM;
    }

    /**
     * The server URI for {@code host:port}: {@code nats://host:port} for NATS, otherwise the
     * WebSocket URI, with the Engine.IO path and query for Socket.IO.
     */
    public URI endpoint(String host, int port) {
        if (nats()) {
            return URI.create("nats://" + host + ':' + port);
        }
        String path = socketIo() ? "/socket.io/?EIO=4&transport=websocket" : "/";
        return URI.create("ws://" + host + ':' + port + path);
    }

    /** Whether subscribing takes a join frame and its reply (all but {@code floor-path}, where the path is the group). */
    public boolean joins() {
        return this != FLOOR_PATH;
    }

    /**
     * The URI a connection for {@code room:channel} opens on the server at {@code server}: the
     * same URI, except for {@code floor-path}, where the path names the group
     * ({@code /<room>/<channel>}).
     */
    public URI target(URI server, String room, String channel) {
        if (this != FLOOR_PATH) {
            return server;
        }
        return URI.create("ws://" + server.getHost() + ':' + server.getPort() + '/' + room + '/' + channel);
    }

    /**
     * The group name for a room and channel: Socket.IO has rooms only, so they are joined with
     * ':'; a NATS subject joins them with '.' ({@code <room>.<channel>}).
     */
    public String group(String room, String channel) {
        return nats() ? room + '.' + channel : room + ':' + channel;
    }

    /** The text of a subscribe request; {@code requestId} correlates the reply (ack id 0 for Socket.IO). */
    public String joinFrame(String room, String channel, String requestId) {
        if (nats()) {
            return "SUB " + group(room, channel) + " 1\r\nPING\r\n";
        }
        if (socketIo()) {
            return "420[\"join\",\"" + group(room, channel) + "\"]";
        }
        return "{\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\"" + room + "\",\"channel\":\""
                + channel + "\"},\"id\":\"" + requestId + "\"}";
    }

    /** The bytes of a publish frame before the payload object. */
    String publishPrefix(String room, String channel) {
        if (socketIo()) {
            return "42[\"msg\",\"" + group(room, channel) + "\",";
        }
        return "{\"type\":\"message\",\"room\":\"" + room + "\",\"channel\":\"" + channel + "\",\"payload\":";
    }

    /** The bytes of a publish frame after the payload object. */
    String publishSuffix() {
        return socketIo() ? "]" : "}";
    }

    /**
     * The outcome of a frame received while joining: {@code null} when it is not the reply,
     * {@code ""} on success, otherwise the reason for a refusal.
     */
    String joinReply(String text, String requestId) {
        if (nats()) {
            if (text.equals(NatsCodec.PONG)) {
                return "";
            }
            return text.startsWith("-ERR") ? "nats-server refused the subscription: " + text : null;
        }
        if (socketIo()) {
            if (text.startsWith("430")) {
                return "";
            }
            return text.startsWith("44") ? "socket.io refused: " + text : null;
        }
        if (!text.contains("\"type\":\"response\"") || !text.contains('"' + requestId + '"')) {
            return null;
        }
        return text.contains("\"status\":\"success\"") ? "" : "join_channel refused: " + text;
    }
}
