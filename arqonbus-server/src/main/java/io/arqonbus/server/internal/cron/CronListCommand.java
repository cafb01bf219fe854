package io.arqonbus.server.internal.cron;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import java.util.List;

/** {@code op.cron.list}: the caller's own jobs (every job for an admin) → {@code {jobs[…], count}}. */
final class CronListCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("op.cron.list",
            "Lists your cron jobs (admins: every job) with owner, runs and next run");

    private final CronScheduler scheduler;

    CronListCommand(CronScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CommandResult execute(CommandContext context) {
        List<CronJobView> jobs = scheduler.list(context.session(), context.session().principal().isAdmin());
        ObjectNode data = context.object();
        ArrayNode array = data.putArray("jobs");
        jobs.forEach(job -> array.add(json(job)));
        data.put("count", jobs.size());
        return new CommandResult(jobs.size() + " cron job(s)", data);
    }

    /**
     * A job on the wire as {@code op.cron.list} shows it: the fields of the schedule reply, then
     * {@code payload, owner_client_id, runs, next_run_at, durable} and {@code cron} (null when none).
     */
    static ObjectNode json(CronJobView job) {
        ObjectNode out = CronScheduleCommand.json(job, job.spec().delaySeconds());
        out.set("payload", job.spec().payload());
        out.put("owner_client_id", job.ownerClientId());
        out.put("runs", job.runs());
        CronScheduleCommand.putNextRun(out, job);
        out.put("durable", job.spec().durable());
        if (job.spec().cron() == null) {
            out.putNull("cron");
        }
        return out;
    }
}
