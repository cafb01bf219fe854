package io.arqonbus.server.internal.command.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.cron.CronScheduler;

/**
 * {@code op.cron.cancel {job_id}}: by its owner or an admin; a job that does not exist or belongs
 * to another connection → {@code NOT_FOUND}. No delivery of the job follows the reply.
 */
final class CronCancelCommand implements Command {
    private final CronScheduler scheduler;

    CronCancelCommand(CronScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public String name() {
        return "op.cron.cancel";
    }

    @Override
    public String description() {
        return "Cancels one of your cron jobs (admins: any job); args {job_id}";
    }

    @Override
    public CommandResult execute(CommandContext context) throws CommandException {
        String jobId = OperatorArgs.requiredText(context, "job_id", 64);
        if (!scheduler.cancel(jobId, context.session(), context.session().principal().isAdmin())) {
            throw CommandException.notFound("Cron job '" + jobId + "' not found");
        }
        ObjectNode data = context.object();
        data.put("job_id", jobId);
        return new CommandResult("Cron job " + jobId + " cancelled", data);
    }
}
