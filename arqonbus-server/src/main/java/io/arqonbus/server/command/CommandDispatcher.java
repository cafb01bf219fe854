package io.arqonbus.server.command;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.routing.Replies;
import io.arqonbus.server.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@code command} envelope: finds the command, checks the caller's role, runs it on the
 * caller's loop, and answers with exactly one {@code response} correlated by {@code request_id},
 * followed by the legacy {@code command_response} when legacy acks are on.
 */
public final class CommandDispatcher {
    private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);
    private final CommandServices services;
    private final Replies replies;
    private final boolean legacyAcks;

    public CommandDispatcher(CommandServices services, Replies replies) {
        this.services = services;
        this.replies = replies;
        this.legacyAcks = services.config().legacyAcks();
    }

    /** Runs the command and writes its reply to the caller. Call on the caller's loop. */
    public void dispatch(Session session, Envelope request) {
        long started = System.nanoTime();
        Command command = services.registry().find(request.command());
        CommandResult result = null;
        Envelope reply;
        if (command == null) {
            reply = fail(request, ErrorCode.UNKNOWN_COMMAND, "Unknown command: " + request.command()
                    + ". Send the 'help' command for the list.");
        } else if (command.adminOnly() && !session.principal().isAdmin()) {
            reply = fail(request, ErrorCode.AUTHORIZATION_ERROR, "Command '" + command.name() + "' requires the admin role");
        } else {
            try {
                result = command.execute(new CommandContext(session, request, services));
                reply = replies.response(request, result.message(), result.data());
            } catch (CommandException e) {
                reply = fail(request, e.code(), e.getMessage());
            } catch (RuntimeException e) {
                log.warn("event=command_failed code=EXECUTION_ERROR command={} client={} msg=\"The command threw\"",
                        request.command(), session.clientId(), e);
                reply = fail(request, ErrorCode.EXECUTION_ERROR, "Command '" + request.command() + "' failed: "
                        + e.getClass().getSimpleName());
            }
        }
        services.hub().sendTo(session, reply);
        if (legacyAcks) {
            services.hub().sendTo(session, replies.commandAck(request, "success".equals(reply.status())));
        }
        if (result != null && result.afterReply() != null) {
            result.afterReply().run();
        }
        services.metrics().commandRan(System.nanoTime() - started);
    }

    private Envelope fail(Envelope request, ErrorCode code, String message) {
        services.metrics().error(code);
        return replies.errorResponse(request, code, message);
    }
}
