package io.arqonbus.server.internal.history;

import io.arqonbus.server.internal.async.Failures;

/** The store cannot be reached or refused the operation; the message says why. */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message) {
        super(message);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * {@code error} as a store's failure: the {@link Failures#unwrap unwrapped} failure when it is
     * one already, else one saying {@code "<where>: <what went wrong>"} caused by it.
     *
     * @param where the store's backend and address, e.g. {@code redis at 127.0.0.1:6379}
     */
    public static StoreUnavailableException of(String where, Throwable error) {
        Throwable cause = Failures.unwrap(error);
        if (cause instanceof StoreUnavailableException sue) {
            return sue;
        }
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new StoreUnavailableException(where + ": " + reason, cause);
    }
}
