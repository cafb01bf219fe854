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

    /**
     * Whether the reply is built and encoded on the thread that completes the future (a worker of
     * the command's own) instead of on the caller's loop: for replies too large to encode on a loop
     * that also serves fan-out. The reply is then queued on the caller's loop
     * ({@code ReplySender} implementations must accept a call from any thread), still behind
     * everything queued for the connection before it. Off by default.
     */
    default boolean answersOffLoop() {
        return false;
    }

    @Override
    default CommandResult execute(CommandContext context) {
        throw new UnsupportedOperationException(spec().name() + " runs through executeAsync");
    }
}
