package io.arqonbus.server.internal.history;

import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;

/**
 * What a history command reads: a room, a room and one channel, or (admins only) everything.
 * A named room or channel must exist ({@code NOT_FOUND} otherwise).
 *
 * @param room    the room, or {@code null} for every room
 * @param channel the channel, or {@code null} for every stream of the room
 */
record HistoryScope(String room, String channel) {

    /** {@code args.room} (required) and {@code args.channel} (optional). */
    static HistoryScope ofRoom(CommandContext context, HistoryAccess access) throws CommandException {
        String room = context.requiredRoom();
        return checked(context, access, room, context.optionalChannel());
    }

    /** Like {@link #ofRoom}, but an admin may leave out the room to read every room. */
    static HistoryScope ofRoomUnlessAdmin(CommandContext context, HistoryAccess access) throws CommandException {
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
        return checked(context, access, room, channel);
    }

    /** The scope, if the caller's grants allow it, it exists and its privacy admits the caller. */
    private static HistoryScope checked(CommandContext context, HistoryAccess access, String room, String channel)
            throws CommandException {
        ChannelKey key = channel == null ? ChannelKey.roomWide(room) : ChannelKey.of(room, channel);
        if (!context.session().grants().allows(ChannelAction.HISTORY, key)) {
            throw new CommandException(ErrorCode.AUTHORIZATION_ERROR, "Not allowed to read the history of "
                    + room + ":" + (channel == null ? "*" : channel));
        }
        access.checkReadable(context.session(), room, channel);
        return new HistoryScope(room, channel);
    }
}
