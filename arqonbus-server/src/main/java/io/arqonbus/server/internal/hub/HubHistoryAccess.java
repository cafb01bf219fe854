package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.history.HistoryAccess;
import io.arqonbus.server.internal.session.Session;

/** The hub's answer to the history commands: whether a room or channel exists and admits the caller. */
public final class HubHistoryAccess implements HistoryAccess {
    private final Hub hub;

    public HubHistoryAccess(Hub hub) {
        this.hub = hub;
    }

    @Override
    public void checkReadable(Session session, String room, String channel) throws CommandException {
        if (channel == null) {
            ChannelViews.existingRoom(hub, room);
        } else {
            ChannelViews.existingChannel(hub, ChannelKey.of(room, channel));
        }
        checkPrivate(session, room, channel);
    }

    /**
     * The history of a private channel is read only by the clients it admits (and admins); a
     * room-wide read is refused while the room holds a private channel that does not admit the
     * caller, rather than return that channel's publications.
     */
    private void checkPrivate(Session session, String room, String channel) throws CommandException {
        if (session.principal().isAdmin()) {
            return;
        }
        if (channel != null) {
            if (!hub.admits(session, ChannelKey.of(room, channel))) {
                throw new CommandException(ErrorCode.AUTHORIZATION_ERROR,
                        "Channel " + room + ":" + channel + " is private: its history is for its members");
            }
            return;
        }
        RoomInfo whole = hub.room(room);
        if (whole != null) {
            for (ChannelInfo each : whole.channels()) {
                if (!each.admits(session)) {
                    throw new CommandException(ErrorCode.AUTHORIZATION_ERROR, "Room " + room
                            + " holds private channels: name a channel you may read");
                }
            }
        }
    }
}
