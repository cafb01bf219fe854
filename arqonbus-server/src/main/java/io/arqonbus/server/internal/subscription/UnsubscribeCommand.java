package io.arqonbus.server.internal.subscription;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;

/**
 * {@code unsubscribe {subscriber_id}} → {@code {subscriber_id}}; an id that is unknown or belongs to
 * another connection → {@code NOT_FOUND} (the same answer, so ids of others cannot be probed).
 */
final class UnsubscribeCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("unsubscribe",
            "Ends a filtered subscription of this connection; args {subscriber_id}");

    private final Subscriptions subscriptions;

    UnsubscribeCommand(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CommandResult execute(CommandContext context) throws CommandException {
        String id = context.requiredString("subscriber_id");
        if (!subscriptions.remove(context.session(), id)) {
            throw CommandException.notFound("No subscription '" + id + "' on this connection");
        }
        ObjectNode data = context.object();
        data.put("subscriber_id", id);
        return new CommandResult("Unsubscribed " + id, data);
    }
}
