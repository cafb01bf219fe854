package io.arqonbus.server.presence;

import io.arqonbus.server.command.CommandRegistry;

/** Registers {@code presence} and {@code typing}. */
public final class PresenceCommands {
    private PresenceCommands() {
    }

    /** Adds the commands to the registry and returns it. */
    public static CommandRegistry register(CommandRegistry registry, Presence presence, Typing typing) {
        return registry
                .register(new PresenceCommand(presence))
                .register(new TypingCommand(typing));
    }
}
