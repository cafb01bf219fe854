package io.arqonbus.server.internal.telemetry;

/**
 * An event of the telemetry stream built from the server's own state; {@link TelemetryEventJson}
 * gives its wire form. Events that carry a client's own data (telemetry envelopes, inspection
 * reports) are streamed as they come, through {@link TelemetryHub#emit(String, com.fasterxml.jackson.databind.node.ObjectNode)}.
 */
public sealed interface TelemetryEvent {
    /** The event's {@code event_type} on the stream. */
    String type();

    /**
     * A connection finished its handshake.
     *
     * @param clientId      its client id
     * @param clientType    its declared client type, {@code unknown} when none
     * @param remoteAddress the peer's address as text
     */
    record ClientConnected(String clientId, String clientType, String remoteAddress) implements TelemetryEvent {
        @Override
        public String type() {
            return "client_connected";
        }
    }

    /**
     * A connection ended.
     *
     * @param clientId   its client id
     * @param clientType its declared client type, {@code unknown} when none
     */
    record ClientDisconnected(String clientId, String clientType) implements TelemetryEvent {
        @Override
        public String type() {
            return "client_disconnected";
        }
    }

    /**
     * A channel was created, by a join or by {@code create_channel}.
     *
     * @param room      its room
     * @param channel   its name
     * @param createdBy the client id that created it
     */
    record ChannelCreated(String room, String channel, String createdBy) implements TelemetryEvent {
        @Override
        public String type() {
            return "channel_created";
        }
    }

    /**
     * A channel was deleted by {@code delete_channel}.
     *
     * @param room      its room
     * @param channel   its name
     * @param deletedBy the client id that deleted it ({@code arqonbus} when the server reclaimed it)
     * @param reason    {@code deleted} ({@code delete_channel}) or {@code idle} (reclaimed after its idle grace)
     */
    record ChannelDeleted(String room, String channel, String deletedBy, String reason) implements TelemetryEvent {
        /** Why a channel left: a client's {@code delete_channel}. */
        public static final String DELETED = "deleted";
        /** Why a channel left: it was created implicitly and stayed empty and idle for the grace time. */
        public static final String IDLE = "idle";

        @Override
        public String type() {
            return "channel_deleted";
        }
    }

    /**
     * The periodic aggregates.
     *
     * @param clients         connections open
     * @param rooms           rooms held
     * @param channels        channels held
     * @param messagesTotal   publications since the start
     * @param deliveriesTotal deliveries since the start
     */
    record Stats(int clients, int rooms, int channels, long messagesTotal, long deliveriesTotal)
            implements TelemetryEvent {
        @Override
        public String type() {
            return "stats";
        }
    }
}
