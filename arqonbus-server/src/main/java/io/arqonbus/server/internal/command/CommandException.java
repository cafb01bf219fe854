package io.arqonbus.server.internal.command;

import io.arqonbus.protocol.ErrorCode;

/** A command's refusal: an error code and a sentence for {@code error} and {@code payload.message}. */
public final class CommandException extends Exception {
    private final ErrorCode code;

    public CommandException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** A {@code VALIDATION_ERROR} with the original's wording: {@code Validation error: …}. */
    public static CommandException validation(String problem) {
        return new CommandException(ErrorCode.VALIDATION_ERROR, "Validation error: " + problem);
    }

    public static CommandException notFound(String message) {
        return new CommandException(ErrorCode.NOT_FOUND, message);
    }

    public static CommandException conflict(String message) {
        return new CommandException(ErrorCode.CONFLICT, message);
    }
}
