package io.arqonbus.server.internal.presence;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;

/**
 * The wire form of a {@link PresenceSnapshot}: the data of the {@code presence} command and the
 * body of {@code GET /presence/…}.
 */
public final class PresenceJson {
    private PresenceJson() {
    }

    /** {@code {room, channel, count, clients:[{client_id, client_type, screen_name, joined_at}]}}. */
    public static ObjectNode of(PresenceSnapshot snapshot) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("room", snapshot.room());
        data.put("channel", snapshot.channel());
        data.put("count", snapshot.clients().size());
        ArrayNode clients = data.putArray("clients");
        for (PresenceSnapshot.Client client : snapshot.clients()) {
            ObjectNode row = clients.addObject();
            row.put("client_id", client.clientId());
            row.put("client_type", client.clientType());
            row.put("screen_name", client.screenName());
            row.put("joined_at", Timestamps.format(client.joinedAt()));
        }
        return data;
    }
}
