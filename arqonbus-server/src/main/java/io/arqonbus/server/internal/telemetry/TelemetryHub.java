package io.arqonbus.server.internal.telemetry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.Timestamps;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.server.internal.session.Disconnector;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Clock;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clients of the telemetry WebSocket port and the events streamed to them
 * ({@code client_connected}, {@code client_disconnected}, {@code channel_created},
 * {@code agent_activity}, {@code stats}, and telemetry envelopes sent by bus clients).
 *
 * <p>Each event is encoded once; every client whose filter admits it gets the same bytes. The
 * volume is low (lifecycle events and aggregates, never one event per delivered message).
 */
public final class TelemetryHub {
    private final ConcurrentHashMap<Channel, TelemetryClient> clients = new ConcurrentHashMap<>();
    private final EnvelopeCodec codec;
    private final Clock clock;
    private final long maxPendingBytes;
    private final Disconnector disconnector;

    /**
     * @param maxPendingBytes a client with more than this waiting to be sent is closed with 4001
     * @param disconnector    closes slow clients and, on shutdown, every client
     */
    public TelemetryHub(EnvelopeCodec codec, Clock clock, long maxPendingBytes, Disconnector disconnector) {
        this.codec = codec;
        this.clock = clock;
        this.maxPendingBytes = maxPendingBytes;
        this.disconnector = disconnector;
    }

    /** Closes every telemetry client with 1001 (server shutting down). */
    public void closeAll() {
        for (Channel channel : clients.keySet()) {
            disconnector.close(channel, CloseCodes.GOING_AWAY, "server shutting down");
        }
    }

    /** Adds a client that receives every event until it subscribes to a subset. */
    public TelemetryClient register(Channel channel) {
        TelemetryClient client = new TelemetryClient(channel);
        clients.put(channel, client);
        channel.closeFuture().addListener(f -> clients.remove(channel));
        return client;
    }

    /** How many telemetry clients are connected. */
    public int clientCount() {
        return clients.size();
    }

    /** The connected clients, for tests in this package that look at a connection's state. */
    Collection<TelemetryClient> clients() {
        return Collections.unmodifiableCollection(clients.values());
    }

    /** Streams an event of the server's own. */
    public void emit(TelemetryEvent event) {
        if (!clients.isEmpty()) {
            emit(event.type(), TelemetryEventJson.data(event));
        }
    }

    /** Streams an event: {@code {"event_type", "timestamp", "data"}}. */
    public void emit(String eventType, ObjectNode data) {
        if (clients.isEmpty()) {
            return;
        }
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("event_type", eventType);
        event.put("timestamp", Timestamps.now(clock));
        event.set("data", data);
        ByteBuf bytes = Unpooled.wrappedBuffer(codec.writeTree(event));
        try {
            for (TelemetryClient client : clients.values()) {
                Channel channel = client.channel();
                if (!client.wants(eventType) || !channel.isActive() || Disconnector.isClosing(channel)) {
                    continue;
                }
                if (pendingBytes(channel) + bytes.readableBytes() > maxPendingBytes) {
                    disconnector.closeNow(channel, CloseCodes.SLOW_CONSUMER, "slow consumer");
                    continue;
                }
                channel.writeAndFlush(new TextWebSocketFrame(bytes.retainedDuplicate()), channel.voidPromise());
            }
        } finally {
            bytes.release();
        }
    }

    private static long pendingBytes(Channel channel) {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /** One telemetry client and its event filter (empty: everything). */
    public static final class TelemetryClient {
        private final Channel channel;
        private volatile Set<String> filter = Set.of();

        TelemetryClient(Channel channel) {
            this.channel = channel;
        }

        public Channel channel() {
            return channel;
        }

        /** Restricts the client to these event types; an empty set means all. */
        public void subscribe(Set<String> eventTypes) {
            this.filter = Set.copyOf(eventTypes);
        }

        /** The current filter. */
        public Set<String> filter() {
            return filter;
        }

        boolean wants(String eventType) {
            Set<String> f = filter;
            return f.isEmpty() || f.contains(eventType);
        }
    }
}
