package io.arqonbus.server.internal.presence;

import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.internal.hub.ChannelInfo;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.hub.MemberDirectory;
import io.arqonbus.server.internal.hub.RoomInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Who is online in a room or a channel (seed 004): the members of the channel, or the distinct
 * members of any channel of the room, each with its client metadata and when it joined (for a room:
 * its earliest join among the room's channels). Presence is read from channel membership as the
 * hub's {@link MemberDirectory} keeps it: on one node a connection that closes — cleanly or not —
 * leaves it at once; in a cluster the members of every node are shown, and a dead node's vanish
 * within the presence TTL.
 *
 * <p>The caller must be allowed to subscribe to {@code room:channel} ({@code room:*} for a whole
 * room); a private channel is shown only to the clients it admits and to admins. The room and the
 * channel must be known to the node asked (a room's channels this node does not know are not
 * shown). A caller sees only the clients of its own tenant (with auth off nobody has one, so
 * everyone is shown), as filtered subscriptions and private messages do. Thread-safe.
 */
public final class Presence {
    private final Hub hub;

    public Presence(Hub hub) {
        this.hub = hub;
    }

    /**
     * Who is online in {@code room:channel} ({@code channel} {@code null}: the whole room), as the
     * viewer may see it, the clients sorted by id; completes at once on one node.
     *
     * @throws PresenceException {@code NOT_FOUND} for an unknown room or channel,
     *                           {@code AUTHORIZATION_ERROR} when the viewer may not see it
     */
    public CompletableFuture<PresenceSnapshot> of(String room, String channel, Viewer viewer)
            throws PresenceException {
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
        Set<String> visible = new HashSet<>();
        if (channel != null) {
            ChannelInfo one = found.channel(channel);
            if (one == null) {
                throw new PresenceException(ErrorCode.NOT_FOUND, "Channel '" + channel + "' not found in room '"
                        + room + "'");
            }
            if (!admin && !admits(one, viewer)) {
                throw new PresenceException(ErrorCode.AUTHORIZATION_ERROR, "Channel " + key + " is private");
            }
            visible.add(channel);
        } else {
            for (ChannelInfo each : found.channels()) {
                if (admin || admits(each, viewer)) {
                    visible.add(each.key().channel());
                }
            }
        }
        String tenant = Objects.requireNonNullElse(viewer.principal().tenantId(), "");
        return hub.members().members(room, channel).thenApply(byChannel -> {
            Map<String, MemberDirectory.Member> rows = new TreeMap<>();
            for (Map.Entry<String, List<MemberDirectory.Member>> each : byChannel.entrySet()) {
                if (!visible.contains(each.getKey())) {
                    continue;
                }
                for (MemberDirectory.Member member : each.getValue()) {
                    if (member.tenant().equals(tenant)) {
                        rows.merge(member.clientId(), member,
                                (a, b) -> a.joinedAt().isAfter(b.joinedAt()) ? b : a);
                    }
                }
            }
            List<PresenceSnapshot.Client> clients = new ArrayList<>(rows.size());
            for (MemberDirectory.Member row : rows.values()) {
                clients.add(new PresenceSnapshot.Client(row.clientId(), row.clientType(), row.screenName(),
                        row.joinedAt()));
            }
            return new PresenceSnapshot(room, channel, clients);
        });
    }

    private static boolean admits(ChannelInfo channel, Viewer viewer) {
        return channel.admits(viewer.clientId(), viewer.principal().subject());
    }
}
