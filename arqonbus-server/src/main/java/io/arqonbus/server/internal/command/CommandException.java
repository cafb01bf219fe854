package io.arqonbus.server.internal.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.ErrorCode;

/** A command's refusal: an error code and a sentence for {@code error} and {@code payload.message}. */
public final class CommandException extends Exception {
    private final ErrorCode code;
    private final transient ObjectNode data;

    public CommandException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /** A refusal whose reply carries {@code data} as its {@code payload.data} (e.g. {@code retry_after_ms}). */
    public CommandException(ErrorCode code, String message, ObjectNode data) {
        super(message, null, false, false);
        this.code = code;
        this.data = data;
    }

    public ErrorCode code() {
        return code;
    }

    /** What the error reply carries as {@code payload.data}; {@code null} for the empty object. */
    public ObjectNode data() {
        return data;
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
