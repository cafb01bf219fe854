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
                .register(new LeaveChannelCommand())
                .register(new StatusCommand())
                .register(new HelpCommand())
                .register(new ListChannelsCommand())
                .register(new ChannelInfoCommand())
                .register(new CreateChannelCommand())
                .register(new DeleteChannelCommand())
                .register(new HistoryCommand())
                .register(new HistoryGetCommand())
                .register(new HistoryReplayCommand())
                .register(new RefreshCommand())
                .register(new CasilGetCommand())
                .register(new CasilReloadCommand())
                .register(new StoreSetCommand())
                .register(new StoreGetCommand())
                .register(new StoreListCommand())
                .register(new StoreDeleteCommand())
                .register(new WebhookRegisterCommand())
                .register(new WebhookListCommand())
                .register(new WebhookUnregisterCommand());
    }
}
