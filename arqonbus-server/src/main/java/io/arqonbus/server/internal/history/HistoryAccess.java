package io.arqonbus.server.internal.history;

import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.session.Session;

/**
 * What the history commands ask of the channels beyond the caller's grants: that a room or channel
 * exists, and that its privacy admits the caller. The hub answers ({@code hub.HubHistoryAccess}).
 */
@FunctionalInterface
public interface HistoryAccess {

    /**
     * Passes when {@code room} (and {@code channel}, unless {@code null} for the whole room) exists
     * and may be read by {@code session}; a private channel's history is for the clients it admits
     * (and admins), and a room-wide read is refused while the room holds a private channel that
     * does not admit the caller.
     *
     * @throws CommandException {@code NOT_FOUND} naming what is missing, or {@code AUTHORIZATION_ERROR}
     */
    void checkReadable(Session session, String room, String channel) throws CommandException;
}
