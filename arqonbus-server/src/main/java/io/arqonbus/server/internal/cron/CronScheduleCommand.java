package io.arqonbus.server.internal.cron;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.config.CronSettings;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import io.arqonbus.server.internal.command.OperatorArgs;

/**
 * {@code op.cron.schedule {room, channel, payload, delay_seconds=1.0, interval_seconds?,
 * repeat_count=1, cron?, durable?}}: schedules deliveries of {@code payload} to {@code room:channel}.
 * The caller needs publish permission on the channel; {@code durable} jobs are for admins.
 */
final class CronScheduleCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("op.cron.schedule",
            "Schedules delayed, interval or cron-expression deliveries to a channel; args {room, channel, payload, "
                    + "delay_seconds?, interval_seconds?, repeat_count?, cron?, durable? (admin)}");

    private final CronScheduler scheduler;

    CronScheduleCommand(CronScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CommandResult execute(CommandContext context) throws CommandException {
        CronSettings settings = scheduler.settings();
        ChannelKey target = context.requiredChannel();
        if (ChannelKey.PM_CHANNEL.equals(target.channel())) {
            throw CommandException.validation("cron jobs cannot deliver to the private '"
                    + ChannelKey.PM_CHANNEL + "' channel");
        }
        ObjectNode payload = OperatorArgs.requiredObject(context, "payload");
        String cronText = OperatorArgs.optionalText(context, "cron", CronExpression.MAX_LENGTH);
        double minInterval = settings.minInterval().toMillis() / 1000.0;
        Double interval = OperatorArgs.optionalSeconds(context, "interval_seconds", null, minInterval,
                CronScheduler.MAX_SECONDS);
        boolean delayGiven = context.args().hasNonNull("delay_seconds");
        double delay = OperatorArgs.optionalSeconds(context, "delay_seconds", 1.0, 0, CronScheduler.MAX_SECONDS);
        CronExpression cron = null;
        if (cronText != null) {
            if (interval != null || delayGiven) {
                throw CommandException.validation("'cron' decides when the job runs: do not combine it with "
                        + "'interval_seconds' or 'delay_seconds'");
            }
            try {
                cron = CronExpression.parse(cronText);
            } catch (InvalidCronException e) {
                throw CommandException.validation("'cron': " + e.getMessage());
            }
        }
        int repeatCount = context.optionalInt("repeat_count", cron != null ? settings.maxRepeatCount() : 1, 1,
                settings.maxRepeatCount());
        if (repeatCount > 1 && interval == null && cron == null) {
            throw CommandException.validation("'repeat_count' greater than 1 needs 'interval_seconds' (or 'cron')");
        }
        boolean durable = context.optionalBoolean("durable", false);
        if (durable && !context.session().principal().isAdmin()) {
            throw new CommandException(ErrorCode.AUTHORIZATION_ERROR,
                    "Only admins may schedule durable cron jobs (jobs that outlive their connection)");
        }
        if (!context.session().grants().allows(ChannelAction.PUBLISH, target)) {
            throw new CommandException(ErrorCode.AUTHORIZATION_ERROR, "Not allowed to publish to " + target);
        }
        ObjectNode data;
        try {
            data = scheduler.schedule(new CronJobSpec(target, payload.deepCopy(), cron != null ? 0 : delay,
                    interval, repeatCount, cron, durable), context.session());
        } catch (CronLimitException e) {
            throw CommandException.conflict("Cannot schedule: " + e.getMessage());
        }
        return new CommandResult("Cron job " + data.path("job_id").asText() + " scheduled", data);
    }
}
