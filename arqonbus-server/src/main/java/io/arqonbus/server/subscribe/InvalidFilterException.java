package io.arqonbus.server.subscribe;

/** A filter that cannot be used; the message says why (answered as {@code INVALID_FILTER}). */
public final class InvalidFilterException extends Exception {
    public InvalidFilterException(String message) {
        super(message);
    }
}
