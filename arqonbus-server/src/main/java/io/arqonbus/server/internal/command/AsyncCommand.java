package io.arqonbus.server.internal.command;

import java.util.concurrent.CompletableFuture;

/**
 * A command whose answer waits for something off the event loop (a store read). The dispatcher
 * answers when the future completes, on the caller's loop, so replies still leave in order with
 * whatever the command sends after its reply.
 */
public interface AsyncCommand extends Command {

    /**
     * Starts the command on the caller's loop; argument errors may be thrown at once. The future
     * fails with a {@link CommandException} for a refusal, or with a failure the dispatcher's
     * {@link Refusals} turn into one (a store that is down).
     */
    CompletableFuture<CommandResult> executeAsync(CommandContext context) throws CommandException;

    @Override
    default CommandResult execute(CommandContext context) {
        throw new UnsupportedOperationException(spec().name() + " runs through executeAsync");
    }
}
