package io.arqonbus.server.internal.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.reply.Replies;
import io.arqonbus.server.internal.session.Session;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@code command} envelope: finds the command, checks the caller's role, runs it on the
 * caller's loop, and answers with exactly one {@code response} correlated by {@code request_id},
 * followed by the legacy {@code command_response} when legacy acks are on.
 */
public final class CommandDispatcher {
    private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);
    private final CommandRegistry registry;
    private final Replies replies;
    private final ReplySender sender;
    private final BusMetrics metrics;
    private final boolean legacyAcks;
    private final Refusals refusals;

    /**
     * @param registry   the commands
     * @param replies    builds the replies
     * @param sender     writes a reply to its caller
     * @param metrics    counts runs and errors
     * @param legacyAcks whether a {@code command_response} follows each reply
     * @param refusals   the refusals of failures that are no {@link CommandException}
     */
    public CommandDispatcher(CommandRegistry registry, Replies replies, ReplySender sender, BusMetrics metrics,
            boolean legacyAcks, Refusals refusals) {
        this.registry = registry;
        this.replies = replies;
        this.sender = sender;
        this.metrics = metrics;
        this.legacyAcks = legacyAcks;
        this.refusals = refusals;
    }

    /**
     * Runs the command and writes its reply to the caller. Call on the caller's loop; a command
     * that waits for a store is answered on the same loop when its future completes, unless it
     * {@linkplain AsyncCommand#answersOffLoop() answers off the loop}: then its reply is built and
     * encoded on the completing thread and queued on the caller's loop.
     */
    public void dispatch(Session session, Envelope request) {
        long started = System.nanoTime();
        Command command = registry.find(request.command());
        if (command == null) {
            answer(session, request, null, fail(request, ErrorCode.UNKNOWN_COMMAND, "Unknown command: "
                    + request.command() + ". Send the 'help' command for the list."), started);
            return;
        }
        if (command.spec().adminOnly() && !session.principal().isAdmin()) {
            answer(session, request, null, fail(request, ErrorCode.AUTHORIZATION_ERROR,
                    "Command '" + command.spec().name() + "' requires the admin role"), started);
            return;
        }
        CompletableFuture<CommandResult> future;
        try {
            CommandContext context = new CommandContext(session, request);
            future = command instanceof AsyncCommand async
                    ? async.executeAsync(context)
                    : CompletableFuture.completedFuture(command.execute(context));
        } catch (CommandException | RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        if (future.isDone()) {
            finish(session, request, future, started);
        } else if (command instanceof AsyncCommand async && async.answersOffLoop()) {
            // Built and encoded on the thread that completes the future (the command's worker),
            // then queued on the caller's loop like every other frame to it.
            CompletableFuture<CommandResult> pending = future;
            pending.whenComplete((result, error) -> finish(session, request, pending, started));
        } else {
            CompletableFuture<CommandResult> pending = future;
            pending.whenComplete((result, error) ->
                    session.channel().eventLoop().execute(() -> finish(session, request, pending, started)));
        }
    }

    private void finish(Session session, Envelope request, CompletableFuture<CommandResult> future, long started) {
        CommandResult result = null;
        Envelope reply;
        try {
            result = future.join();
            reply = replies.response(request, result.message(), result.data());
        } catch (CompletionException e) {
            reply = failure(session, request, e.getCause());
        } catch (RuntimeException e) {
            reply = failure(session, request, e);
        }
        answer(session, request, result, reply, started);
    }

    private Envelope failure(Session session, Envelope request, Throwable error) {
        if (error instanceof CommandException e) {
            return fail(request, e.code(), e.getMessage(), e.data());
        }
        CommandException refusal = refusals.refusal(error);
        if (refusal != null) {
            return fail(request, refusal.code(), refusal.getMessage());
        }
        log.atWarn().setCause(error)
                .addKeyValue("event", "command_failed")
                .addKeyValue("code", "EXECUTION_ERROR")
                .addKeyValue("command", request.command())
                .addKeyValue("client", session.clientId())
                .addKeyValue("msg", "The command threw")
                .log("command_failed");
        return fail(request, ErrorCode.EXECUTION_ERROR, "Command '" + request.command() + "' failed: "
                + error.getClass().getSimpleName());
    }

    private void answer(Session session, Envelope request, CommandResult result, Envelope reply, long started) {
        sender.send(session, reply);
        if (legacyAcks) {
            sender.send(session, replies.commandAck(request, "success".equals(reply.status())));
        }
        if (result != null && result.afterReply() != null) {
            // Queued behind the reply, so it runs after the reply was written and after any
            // delivery already queued for this connection.
            session.loop().enqueue(result.afterReply());
        }
        metrics.commandRan(System.nanoTime() - started);
    }

    private Envelope fail(Envelope request, ErrorCode code, String message) {
        return fail(request, code, message, null);
    }

    private Envelope fail(Envelope request, ErrorCode code, String message, ObjectNode data) {
        metrics.error(code);
        return replies.errorResponse(request, code, message, data);
    }
}
