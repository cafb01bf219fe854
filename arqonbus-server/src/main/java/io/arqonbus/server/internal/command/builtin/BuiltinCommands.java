package io.arqonbus.server.internal.command.builtin;

import io.arqonbus.server.internal.command.CommandRegistry;
import io.arqonbus.server.internal.cron.CronScheduler;
import io.arqonbus.server.internal.omega.OmegaLab;

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

    /** Adds the cron lane's commands ({@code op.cron.schedule|list|cancel}) and returns the registry. */
    public static CommandRegistry registerCron(CommandRegistry registry, CronScheduler scheduler) {
        return registry
                .register(new CronScheduleCommand(scheduler))
                .register(new CronListCommand(scheduler))
                .register(new CronCancelCommand(scheduler));
    }

    /**
     * Adds the omega lab lane's commands ({@code op.omega.*}) and returns the registry. They are
     * registered whether or not the lane is enabled: off, they answer {@code FEATURE_DISABLED}
     * (but {@code op.omega.status}, which says so).
     */
    public static CommandRegistry registerOmega(CommandRegistry registry, OmegaLab lab) {
        return registry
                .register(new OmegaStatusCommand(lab))
                .register(new OmegaRegisterSubstrateCommand(lab))
                .register(new OmegaListSubstratesCommand(lab))
                .register(new OmegaUnregisterSubstrateCommand(lab))
                .register(new OmegaEmitEventCommand(lab))
                .register(new OmegaListEventsCommand(lab))
                .register(new OmegaClearEventsCommand(lab));
    }
}
