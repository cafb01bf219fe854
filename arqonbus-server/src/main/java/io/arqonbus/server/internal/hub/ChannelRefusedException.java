package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.ErrorCode;

/**
 * A new channel was refused: {@code RATE_LIMITED} when the connection creates channels faster
 * than its bucket allows, {@code CHANNEL_LIMIT} when the total or the tenant's bound is reached.
 * Nothing was made.
 */
public final class ChannelRefusedException extends RuntimeException {
    private final transient ErrorCode code;

    ChannelRefusedException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** {@code RATE_LIMITED} or {@code CHANNEL_LIMIT}. */
    public ErrorCode code() {
        return code;
    }
}
