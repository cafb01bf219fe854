package io.arqonbus.server.internal.command.builtin;

import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.hub.BusChannel;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.hub.Room;
import io.arqonbus.server.internal.session.Session;

/**
 * What a history command reads: a room, a room and one channel, or (admins only) everything.
 * A named room or channel must exist ({@code NOT_FOUND} otherwise).
 *
 * @param room    the room, or {@code null} for every room
 * @param channel the channel, or {@code null} for every stream of the room
 */
record HistoryScope(String room, String channel) {

    /** {@code args.room} (required) and {@code args.channel} (optional). */
    static HistoryScope ofRoom(CommandContext context) throws CommandException {
        String room = context.requiredRoom();
        return checked(context, room, context.optionalChannel());
    }

    /** Like {@link #ofRoom}, but an admin may leave out the room to read every room. */
    static HistoryScope ofRoomUnlessAdmin(CommandContext context) throws CommandException {
        String room = context.optionalRoom();
        String channel = context.optionalChannel();
        if (room == null) {
            if (!context.session().principal().isAdmin()) {
                throw new CommandException(ErrorCode.AUTHORIZATION_ERROR,
                        "'room' is required: only admins may read the history of every room");
            }
            if (channel != null) {
                throw CommandException.validation("'channel' needs 'room'");
            }
            if (!context.session().grants().allows(ChannelAction.HISTORY, "*")) {
                throw new CommandException(ErrorCode.AUTHORIZATION_ERROR,
                        "Not allowed to read the history of every room");
            }
            return new HistoryScope(null, null);
        }
        return checked(context, room, channel);
    }

    /** The scope, if it exists and the caller may read its history. */
    private static HistoryScope checked(CommandContext context, String room, String channel)
            throws CommandException {
        ChannelKey key = channel == null ? ChannelKey.roomWide(room) : ChannelKey.of(room, channel);
        if (!context.session().grants().allows(ChannelAction.HISTORY, key)) {
            throw new CommandException(ErrorCode.AUTHORIZATION_ERROR, "Not allowed to read the history of "
                    + room + ":" + (channel == null ? "*" : channel));
        }
        Hub hub = context.services().hub();
        if (channel == null) {
            ChannelViews.existingRoom(hub, room);
        } else {
            ChannelViews.existingChannel(hub, ChannelKey.of(room, channel));
        }
        checkPrivate(context.session(), hub, room, channel);
        return new HistoryScope(room, channel);
    }

    /**
     * The history of a private channel is read only by the clients it admits (and admins); a
     * room-wide read is refused while the room holds a private channel that does not admit the
     * caller, rather than return that channel's publications.
     */
    private static void checkPrivate(Session session, Hub hub, String room, String channel) throws CommandException {
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
        Room whole = hub.room(room);
        if (whole != null) {
            for (BusChannel each : whole.channels()) {
                if (!each.admits(session)) {
                    throw new CommandException(ErrorCode.AUTHORIZATION_ERROR, "Room " + room
                            + " holds private channels: name a channel you may read");
                }
            }
        }
    }
}
