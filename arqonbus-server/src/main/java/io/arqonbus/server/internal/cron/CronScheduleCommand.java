package io.arqonbus.server.internal.cron;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.config.CronSettings;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import io.arqonbus.server.internal.command.OperatorArgs;
import io.arqonbus.server.config.CronSettings;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.routing.InboundRouter;
import java.time.Duration;
import java.time.Instant;

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
        CronJobView job;
        try {
            job = scheduler.schedule(new CronJobSpec(target, payload.deepCopy(), cron != null ? 0 : delay,
                    interval, repeatCount, cron, durable), context.session());
        } catch (CronLimitException e) {
            throw CommandException.conflict("Cannot schedule: " + e.getMessage());
        }
        double firstIn = cron != null ? secondsUntil(job.nextRunAt(), job.createdAt()) : job.spec().delaySeconds();
        return new CommandResult("Cron job " + job.jobId() + " scheduled", json(job, firstIn));
    }

    /**
     * A job on the wire as the reply of {@code op.cron.schedule} shows it: {@code {job_id, room,
     * channel, delay_seconds, interval_seconds, repeat_count, created_at}}, then {@code cron} and
     * {@code next_run_at} for a cron job and {@code durable:true} for a durable one.
     */
    static ObjectNode json(CronJobView job, double delaySeconds) {
        CronJobSpec spec = job.spec();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("job_id", job.jobId());
        out.put("room", spec.target().room());
        out.put("channel", spec.target().channel());
        out.put("delay_seconds", delaySeconds);
        if (spec.intervalSeconds() != null) {
            out.put("interval_seconds", spec.intervalSeconds());
        } else {
            out.putNull("interval_seconds");
        }
        out.put("repeat_count", spec.repeatCount());
        out.put("created_at", Timestamps.format(job.createdAt()));
        if (spec.cron() != null) {
            out.put("cron", spec.cron().text());
            putNextRun(out, job);
        }
        if (spec.durable()) {
            out.put("durable", true);
        }
        return out;
    }

    /** Sets {@code next_run_at} ({@code null} when no run is planned), in place when it is there already. */
    static void putNextRun(ObjectNode out, CronJobView job) {
        if (job.nextRunAt() != null) {
            out.put("next_run_at", Timestamps.format(job.nextRunAt()));
        } else {
            out.putNull("next_run_at");
        }
    }

    private static double secondsUntil(Instant when, Instant from) {
        if (when == null) {
            return 0.0;
        }
        return Math.max(0, Duration.between(from, when).toMillis()) / 1000.0;
    }
}
