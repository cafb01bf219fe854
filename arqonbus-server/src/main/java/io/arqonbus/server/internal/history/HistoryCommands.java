package io.arqonbus.server.internal.history;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandRegistry;

/**
 * Registers {@code history}, {@code history.get} and {@code history.replay} (aliases
 * {@code op.history.*}), and says how a store that is down is answered.
 */
public final class HistoryCommands {
    private HistoryCommands() {
    }

    /**
     * Adds the commands, reading {@code store} on {@code readers}' workers within each connection's
     * budget, to the registry and returns it.
     */
    public static CommandRegistry register(CommandRegistry registry, HistoryStore store, HistoryAccess access,
            HistoryReaders readers, EnvelopeCodec codec, ServerConfig config) {
        long budget = replyBudget(config);
        return registry
                .register(new HistoryCommand(store, access, readers, config.history().maxLimit(), budget))
                .register(new HistoryGetCommand(store, access, readers, codec, config.history().maxLimit(), budget))
                .register(new HistoryReplayCommand(store, access, readers, codec, budget));
    }

    /**
     * The most bytes of stored JSON one history reply (or one recovery) carries: half the
     * connection's output budget ({@code ARQONBUS_MAX_PENDING_BYTES}), at most 8 MiB — a reply past
     * the budget would close the connection as a slow consumer.
     */
    public static long replyBudget(ServerConfig config) {
        return Math.min(config.limits().maxPendingBytes() / 2, 8L << 20);
    }

    /**
     * {@code STORAGE_UNAVAILABLE} for a store (history or key-value) that cannot be reached, as a
     * command's refusal; {@code null} for any other failure.
     */
    public static CommandException refusal(Throwable failure) {
        if (failure instanceof StoreUnavailableException e) {
            return new CommandException(ErrorCode.STORAGE_UNAVAILABLE, "The store is unavailable: " + e.getMessage());
        }
        return null;
    }
}
