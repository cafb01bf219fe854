package io.arqonbus.server.internal.command.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.webhook.WebhookRule;
import io.arqonbus.server.internal.webhook.Webhooks;

/**
 * {@code op.webhook.unregister {rule_id}} → {@code {rule_id}}, by the rule's owner or an admin.
 * Unknown → {@code NOT_FOUND}; another connection's rule → {@code AUTHORIZATION_ERROR}.
 * Deliveries still queued for the rule are dropped.
 */
final class WebhookUnregisterCommand implements Command {
    @Override
    public String name() {
        return "op.webhook.unregister";
    }

    @Override
    public String description() {
        return "Removes one of your webhook rules (admins: any); args {rule_id}";
    }

    @Override
    public CommandResult execute(CommandContext context) throws CommandException {
        String id = context.requiredString("rule_id");
        Webhooks webhooks = context.services().webhooks();
        WebhookRule rule = webhooks.find(id);
        if (rule == null) {
            throw CommandException.notFound("Webhook rule not found: " + id);
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
