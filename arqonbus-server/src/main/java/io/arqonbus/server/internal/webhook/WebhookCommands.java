package io.arqonbus.server.internal.webhook;

import io.arqonbus.server.config.ChannelPermissions;
import io.arqonbus.server.internal.command.CommandRegistry;
import java.time.Clock;
import java.util.List;

/** Registers the webhook commands: {@code op.webhook.register|list|unregister}. */
public final class WebhookCommands {
    private WebhookCommands() {
    }

    /**
     * Adds the commands, working on {@code webhooks}, to the registry and returns it.
     *
     * @param allowedHosts host globs a webhook URL must match ({@code ARQONBUS_WEBHOOK_ALLOWED_HOSTS}); empty: any
     * @param permissions  the role-based channel permissions a rule delivers under, or {@code null} when there are none
     */
    public static CommandRegistry register(CommandRegistry registry, Webhooks webhooks, Clock clock,
            List<String> allowedHosts, ChannelPermissions permissions) {
        return registry
                .register(new WebhookRegisterCommand(webhooks, clock, allowedHosts, permissions))
                .register(new WebhookListCommand(webhooks))
                .register(new WebhookUnregisterCommand(webhooks));
    }
}
