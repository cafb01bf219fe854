package io.arqonbus.server.internal.presence;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.internal.hub.BusChannel;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.hub.Room;
import io.arqonbus.server.internal.session.ClientInfo;
import io.arqonbus.server.internal.session.Session;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Who is online in a room or a channel (seed 004): the members of the channel, or the distinct
 * members of any channel of the room, each with its client metadata and when it joined (for a room:
 * its earliest join among the room's channels). Presence is read from channel membership, so a
 * connection that closes — cleanly or not — leaves it at once.
 *
 * <p>The caller must be allowed to subscribe to {@code room:channel} ({@code room:*} for a whole
 * room); a private channel is shown only to the clients it admits and to admins. A caller sees only
 * the clients of its own tenant (with auth off nobody has one, so everyone is shown), as filtered
 * subscriptions and private messages do. Thread-safe: it reads concurrent structures only.
 */
public final class Presence {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final Hub hub;

    public Presence(Hub hub) {
        this.hub = hub;
    }

    /**
     * {@code {room, channel, count, clients:[{client_id, client_type, screen_name, joined_at}]}}, the
     * clients sorted by id; {@code channel} is {@code null} for a whole room.
     *
     * @throws PresenceException {@code NOT_FOUND} for an unknown room or channel,
     *                           {@code AUTHORIZATION_ERROR} when the viewer may not see it
     */
    public ObjectNode of(String room, String channel, Viewer viewer) throws PresenceException {
        Room found = hub.room(room);
        if (found == null) {
            throw new PresenceException(ErrorCode.NOT_FOUND, "Room '" + room + "' not found");
        }
        ChannelKey key = channel == null ? ChannelKey.roomWide(room) : ChannelKey.of(room, channel);
        boolean admin = viewer.principal().isAdmin();
        if (!viewer.grants().allows(ChannelAction.SUBSCRIBE, key)) {
            throw new PresenceException(ErrorCode.AUTHORIZATION_ERROR, "Not allowed to subscribe to "
                    + room + ":" + (channel == null ? "*" : channel));
        }
        Map<String, Row> rows = new TreeMap<>();
        if (channel != null) {
            BusChannel one = found.channel(channel);
            if (one == null) {
                throw new PresenceException(ErrorCode.NOT_FOUND, "Channel '" + channel + "' not found in room '"
                        + room + "'");
            }
            if (!admin && !admits(one, viewer)) {
                throw new PresenceException(ErrorCode.AUTHORIZATION_ERROR, "Channel " + key + " is private");
            }
            collect(one, viewer, rows);
        } else {
            for (BusChannel each : found.channels()) {
                if (admin || admits(each, viewer)) {
                    collect(each, viewer, rows);
                }
            }
        }
        ObjectNode data = JSON.objectNode();
        data.put("room", room);
        data.put("channel", channel);
        data.put("count", rows.size());
        ArrayNode clients = data.putArray("clients");
        for (Row row : rows.values()) {
            clients.add(row.view());
        }
        return data;
    }

    private static boolean admits(BusChannel channel, Viewer viewer) {
        return channel.admits(viewer.clientId(), viewer.principal().subject());
    }

    private static void collect(BusChannel channel, Viewer viewer, Map<String, Row> rows) {
        for (Session member : channel.members()) {
            Instant joined = channel.joinedAt(member);
            if (joined == null || !Objects.equals(member.principal().tenantId(),
                    viewer.principal().tenantId())) {
                continue;
            }
            rows.merge(member.clientId(), new Row(member, joined),
                    (a, b) -> a.joinedAt().isAfter(b.joinedAt()) ? b : a);
        }
    }

    private record Row(Session session, Instant joinedAt) {
        ObjectNode view() {
            ClientInfo info = session.info();
            ObjectNode row = JSON.objectNode();
            row.put("client_id", session.clientId());
            row.put("client_type", info.typeOrUnknown());
            row.put("screen_name", info.screenName());
            row.put("joined_at", Timestamps.format(joinedAt));
            return row;
        }
    }
}
