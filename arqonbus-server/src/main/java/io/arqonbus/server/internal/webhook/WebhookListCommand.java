package io.arqonbus.server.internal.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import java.util.List;

/**
 * {@code op.webhook.list} → {@code {rules[{rule_id, url, owner_client_id, room, channel,
 * timeout_seconds, created_at, stats{…}}], count}}: the caller's own rules; every rule for an admin.
 */
final class WebhookListCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("op.webhook.list",
            "Lists your webhook rules (an admin's: every rule) with their delivery statistics");

    private final Webhooks webhooks;

    WebhookListCommand(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CommandResult execute(CommandContext context) {
        boolean admin = context.session().principal().isAdmin();
        List<WebhookRule> rules = webhooks.list(admin ? null : context.session());
        ObjectNode data = context.object();
        ArrayNode array = data.putArray("rules");
        for (WebhookRule rule : rules) {
            array.add(describe(context, rule, true));
        }
        data.put("count", rules.size());
        return new CommandResult(rules.size() + " webhook rules", data);
    }

    /** A rule as replies show it; with its owner and statistics for {@code list}. */
    static ObjectNode describe(CommandContext context, WebhookRule rule, boolean forList) {
        ObjectNode data = context.object();
        data.put("rule_id", rule.id());
        data.put("url", rule.url().toString());
        if (forList) {
            nullable(data, "owner_client_id", rule.ownerClientId());
        }
        nullable(data, "room", rule.room());
        nullable(data, "channel", rule.channel());
        data.put("timeout_seconds", rule.timeout().toMillis() / 1000.0);
        data.put("created_at", Timestamps.format(rule.createdAt()));
        data.put("origin", rule.origin().wireName());
        if (forList) {
            WebhookStats stats = rule.stats();
            ObjectNode s = data.putObject("stats");
            s.put("delivered", stats.delivered());
            s.put("failed", stats.failed());
            s.put("retried", stats.retried());
            s.put("dropped", stats.dropped());
            s.put("pending", stats.pending());
            if (stats.lastStatus() == 0) {
                s.putNull("last_status");
            } else {
                s.put("last_status", stats.lastStatus());
            }
            nullable(s, "last_error", stats.lastError());
            s.put("attempts", stats.attempts());
            s.put("queued", stats.queued());
            s.put("circuit", stats.circuit());
        }
        return data;
    }

    private static void nullable(ObjectNode data, String field, String value) {
        if (value == null) {
            data.putNull(field);
        } else {
            data.put(field, value);
        }
    }
}
