package io.arqonbus.server.internal.telemetry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The wire form of a {@link TelemetryEvent}: the {@code data} of its telemetry frame. */
final class TelemetryEventJson {
    private TelemetryEventJson() {
    }

    static ObjectNode data(TelemetryEvent event) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        switch (event) {
            case TelemetryEvent.ClientConnected e -> {
                out.put("client_id", e.clientId());
                out.put("client_type", e.clientType());
                out.put("remote_address", e.remoteAddress());
            }
            case TelemetryEvent.ClientDisconnected e -> {
                out.put("client_id", e.clientId());
                out.put("client_type", e.clientType());
            }
            case TelemetryEvent.ChannelCreated e -> {
                out.put("room", e.room());
                out.put("channel", e.channel());
                out.put("created_by", e.createdBy());
            }
            case TelemetryEvent.ChannelDeleted e -> {
                out.put("room", e.room());
                out.put("channel", e.channel());
                out.put("deleted_by", e.deletedBy());
                out.put("reason", e.reason());
            }
            case TelemetryEvent.Stats e -> {
                out.put("clients", e.clients());
                out.put("rooms", e.rooms());
                out.put("channels", e.channels());
                out.put("messages_total", e.messagesTotal());
                out.put("deliveries_total", e.deliveriesTotal());
            }
        }
        return out;
    }
}
