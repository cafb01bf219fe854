package io.arqonbus.server.internal.cron;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import io.arqonbus.server.internal.command.OperatorArgs;

/**
 * {@code op.cron.cancel {job_id}}: by its owner or an admin; a job that does not exist or belongs
 * to another connection → {@code NOT_FOUND}. No delivery of the job follows the reply.
 */
final class CronCancelCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("op.cron.cancel",
            "Cancels one of your cron jobs (admins: any job); args {job_id}");

    private final CronScheduler scheduler;

    CronCancelCommand(CronScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
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
