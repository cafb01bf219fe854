package io.arqonbus.server.internal.hub;

import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.internal.command.CommandRegistry;
import io.arqonbus.server.internal.history.HistoryCommands;
import io.arqonbus.server.internal.history.HistoryStore;
import io.arqonbus.server.internal.telemetry.TelemetryHub;

/**
 * Registers the channel commands: {@code join_channel}, {@code leave_channel},
 * {@code list_channels}, {@code channel_info}, {@code create_channel} and {@code delete_channel}.
 */
public final class HubCommands {
    private HubCommands() {
    }

    /** Adds the commands to the registry and returns it; {@code history} serves recoveries on join. */
    public static CommandRegistry register(CommandRegistry registry, Hub hub, ConnectionLifecycle lifecycle,
            HistoryStore history, TelemetryHub telemetry, ServerConfig config) {
        return registry
                .register(new JoinChannelCommand(hub, lifecycle, history, config.limits().maxChannelsPerConnection(),
                        config.history().recoveryMaxMessages(), HistoryCommands.replyBudget(config)))
                .register(new LeaveChannelCommand(lifecycle))
                .register(new ListChannelsCommand(hub))
                .register(new ChannelInfoCommand(hub))
                .register(new CreateChannelCommand(hub, telemetry))
                .register(new DeleteChannelCommand(hub, telemetry));
    }
}
