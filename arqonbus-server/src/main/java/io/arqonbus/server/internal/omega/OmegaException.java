package io.arqonbus.server.internal.omega;

/** A lab operation refused: a substrate that does not exist, or a lab that is full or holds the name. */
public final class OmegaException extends Exception {
    /** Why. */
    public enum Reason { NOT_FOUND, CONFLICT }

    private final Reason reason;

    public OmegaException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
