package io.arqonbus.server.internal.cron;

import io.arqonbus.server.internal.command.CommandRegistry;

/** Registers the cron lane's commands: {@code op.cron.schedule|list|cancel}. */
public final class CronCommands {
    private CronCommands() {
    }

    /** Adds the commands, working on {@code scheduler}, to the registry and returns it. */
    public static CommandRegistry register(CommandRegistry registry, CronScheduler scheduler) {
        return registry
                .register(new CronScheduleCommand(scheduler))
                .register(new CronListCommand(scheduler))
                .register(new CronCancelCommand(scheduler));
    }
}
