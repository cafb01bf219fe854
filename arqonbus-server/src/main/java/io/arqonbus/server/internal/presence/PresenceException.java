package io.arqonbus.server.internal.presence;

import io.arqonbus.protocol.ErrorCode;

/** A presence question that cannot be answered: {@code NOT_FOUND} or {@code AUTHORIZATION_ERROR}. */
public final class PresenceException extends Exception {
    private final ErrorCode code;

    PresenceException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
