package io.arqonbus.server.internal.history;

/** The store cannot be reached or refused the operation; the message says why. */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message) {
        super(message);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
