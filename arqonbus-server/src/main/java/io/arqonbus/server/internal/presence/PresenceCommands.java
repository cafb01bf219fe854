package io.arqonbus.server.internal.presence;

import io.arqonbus.server.internal.command.CommandRegistry;
import io.arqonbus.server.internal.hub.Hub;

/** Registers {@code presence} and {@code typing}. */
public final class PresenceCommands {
    private PresenceCommands() {
    }

    /** Adds the commands to the registry and returns it; {@code hub} tells who is a channel's member. */
    public static CommandRegistry register(CommandRegistry registry, Presence presence, Typing typing, Hub hub) {
        return registry
                .register(new PresenceCommand(presence))
                .register(new TypingCommand(typing, hub));
    }
}
