package io.arqonbus.server.internal.presence;

import io.arqonbus.server.internal.command.AsyncCommand;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import io.arqonbus.server.internal.session.Session;
import java.util.concurrent.CompletableFuture;

/**
 * {@code presence {room, channel?}} → {@code {room, channel, count, clients:[…]}} (see {@link PresenceJson});
 * {@code NOT_FOUND} for an unknown room or channel, {@code AUTHORIZATION_ERROR} without
 * {@code subscribe} permission or for a private channel that does not admit the caller.
 */
final class PresenceCommand implements AsyncCommand {
    private static final CommandSpec SPEC = CommandSpec.of("presence",
            "Who is online in a room or channel; args {room, channel?}");

    private final Presence presence;

    PresenceCommand(Presence presence) {
        this.presence = presence;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CompletableFuture<CommandResult> executeAsync(CommandContext context) throws CommandException {
        String room = context.requiredRoom();
        String channel = context.optionalChannel();
        Session session = context.session();
        try {
            return presence.of(room, channel, new Viewer(session.clientId(), session.principal(), session.grants()))
                    .thenApply(snapshot -> new CommandResult("Presence of " + room
                            + (channel == null ? "" : ":" + channel), PresenceJson.of(snapshot)));
        } catch (PresenceException e) {
            throw new CommandException(e.code(), e.getMessage());
        }
    }
}
