package io.arqonbus.server.internal.presence;

import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.internal.hub.ChannelInfo;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.hub.RoomInfo;
import io.arqonbus.server.internal.session.ClientInfo;
import io.arqonbus.server.internal.session.Session;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * subscriptions and private messages do. Thread-safe: it reads copies the hub makes.
 */
public final class Presence {
    private final Hub hub;

    public Presence(Hub hub) {
        this.hub = hub;
    }

    /**
     * Who is online in {@code room:channel} ({@code channel} {@code null}: the whole room), as the
     * viewer may see it, the clients sorted by id.
     *
     * @throws PresenceException {@code NOT_FOUND} for an unknown room or channel,
     *                           {@code AUTHORIZATION_ERROR} when the viewer may not see it
     */
    public PresenceSnapshot of(String room, String channel, Viewer viewer) throws PresenceException {
        RoomInfo found = hub.room(room);
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
            ChannelInfo one = found.channel(channel);
            if (one == null) {
                throw new PresenceException(ErrorCode.NOT_FOUND, "Channel '" + channel + "' not found in room '"
                        + room + "'");
            }
            if (!admin && !admits(one, viewer)) {
                throw new PresenceException(ErrorCode.AUTHORIZATION_ERROR, "Channel " + key + " is private");
            }
            collect(one, viewer, rows);
        } else {
            for (ChannelInfo each : found.channels()) {
                if (admin || admits(each, viewer)) {
                    collect(each, viewer, rows);
                }
            }
        }
        List<PresenceSnapshot.Client> clients = new ArrayList<>(rows.size());
        for (Row row : rows.values()) {
            clients.add(row.client());
        }
        return new PresenceSnapshot(room, channel, clients);
    }

    private static boolean admits(ChannelInfo channel, Viewer viewer) {
        return channel.admits(viewer.clientId(), viewer.principal().subject());
    }

    private static void collect(ChannelInfo channel, Viewer viewer, Map<String, Row> rows) {
        for (ChannelInfo.Member each : channel.members()) {
            Session member = each.session();
            Instant joined = each.joinedAt();
            if (!Objects.equals(member.principal().tenantId(),
                    viewer.principal().tenantId())) {
                continue;
            }
            rows.merge(member.clientId(), new Row(member, joined),
                    (a, b) -> a.joinedAt().isAfter(b.joinedAt()) ? b : a);
        }
    }

    private record Row(Session session, Instant joinedAt) {
        PresenceSnapshot.Client client() {
            ClientInfo info = session.info();
            return new PresenceSnapshot.Client(session.clientId(), info.typeOrUnknown(), info.screenName(), joinedAt);
        }
    }
}
