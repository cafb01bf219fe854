package io.arqonbus.server.command.builtin;

import io.arqonbus.server.command.CommandRegistry;

/** Registers every built-in command. */
public final class BuiltinCommands {
    private BuiltinCommands() {
    }

    /** Adds the built-in commands to the registry and returns it. */
    public static CommandRegistry registerAll(CommandRegistry registry) {
        return registry
                .register(new PingCommand())
                .register(new JoinChannelCommand())
                .register(new LeaveChannelCommand());
    }
}
