package io.arqonbus.server.internal.presence;

import io.arqonbus.server.internal.command.CommandRegistry;

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
