package io.arqonbus.server.internal.system;

import io.arqonbus.server.config.ChannelPermissions;
import io.arqonbus.server.internal.auth.Authenticator;
import io.arqonbus.server.internal.command.CommandRegistry;
import io.arqonbus.server.internal.history.HistoryStore;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.session.SessionRegistry;
import io.arqonbus.server.status.ServerInfo;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Registers the server's own commands: {@code ping}, {@code status}, {@code help} and {@code refresh}. */
public final class SystemCommands {
    private SystemCommands() {
    }

    /**
     * Adds the commands to the registry and returns it; {@code help} lists what the registry holds
     * when it runs. {@code permissions} is {@code null} when there are no role-based permissions.
     */
    public static CommandRegistry register(CommandRegistry registry, Clock clock, ServerInfo info,
            SessionRegistry sessions, Hub hub, HistoryStore history, Authenticator authenticator,
            ChannelPermissions permissions) {
        return register(registry, clock, info, sessions, hub, history, authenticator, permissions, () -> null);
    }

    /**
     * As the other {@code register}; in cluster mode {@code cluster} gives the cluster's nodes
     * ({@code GET /status}'s {@code "cluster"} section) that {@code status} adds; it answers
     * {@code null} on a single node.
     */
    public static CommandRegistry register(CommandRegistry registry, Clock clock, ServerInfo info,
            SessionRegistry sessions, Hub hub, HistoryStore history, Authenticator authenticator,
            ChannelPermissions permissions, Supplier<CompletionStage<ObjectNode>> cluster) {
        return registry
                .register(new PingCommand(clock))
                .register(new StatusCommand(clock, info, sessions, hub, history, cluster))
                .register(new HelpCommand(registry))
                .register(new RefreshCommand(authenticator, permissions));
    }
}
