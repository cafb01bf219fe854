package io.arqonbus.server.internal.subscription;

import io.arqonbus.server.internal.command.CommandRegistry;

/** Registers {@code subscribe} and {@code unsubscribe}. */
public final class SubscriptionCommands {
    private SubscriptionCommands() {
    }

    /** Adds the commands, working on {@code subscriptions}, to the registry and returns it. */
    public static CommandRegistry register(CommandRegistry registry, Subscriptions subscriptions) {
        return registry
                .register(new SubscribeCommand(subscriptions))
                .register(new UnsubscribeCommand(subscriptions));
    }
}
