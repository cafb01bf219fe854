package io.arqonbus.server.internal.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;

/**
 * {@code op.webhook.unregister {rule_id}} → {@code {rule_id}}, by the rule's owner or an admin.
 * Unknown → {@code NOT_FOUND}; another connection's rule → {@code AUTHORIZATION_ERROR}.
 * Deliveries still queued for the rule are dropped.
 */
final class WebhookUnregisterCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("op.webhook.unregister",
            "Removes one of your webhook rules (admins: any); args {rule_id}");

    private final Webhooks webhooks;

    WebhookUnregisterCommand(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CommandResult execute(CommandContext context) throws CommandException {
        String id = context.requiredString("rule_id");
        WebhookRule rule = webhooks.find(id);
        if (rule == null) {
            throw CommandException.notFound("Webhook rule not found: " + id);
        }
        if (rule.origin() == WebhookRule.Origin.CONFIG) {
            throw CommandException.conflict("Webhook rule " + id + " is declared in the configuration file and "
                    + "cannot be unregistered");
        }
        if (rule.owner() != context.session() && !context.session().principal().isAdmin()) {
            throw new CommandException(ErrorCode.AUTHORIZATION_ERROR,
                    "Webhook rule " + id + " belongs to another client");
        }
        if (webhooks.unregister(id) == null) {
            throw CommandException.notFound("Webhook rule not found: " + id);
        }
        ObjectNode data = context.object();
        data.put("rule_id", id);
        return new CommandResult("Webhook " + id + " unregistered", data);
    }
}
