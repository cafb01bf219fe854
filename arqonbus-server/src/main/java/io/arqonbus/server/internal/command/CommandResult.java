package io.arqonbus.server.internal.command;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A command's success: the reply's {@code payload.message} and {@code payload.data}, and work
 * to run on the caller's loop after the reply was written (for example messages that must follow the
 * reply), queued behind the reply and behind any delivery already queued for the caller.
 */
public record CommandResult(String message, ObjectNode data, Runnable afterReply) {

    public CommandResult(String message, ObjectNode data) {
        this(message, data, null);
    }
}
