package io.arqonbus.client;

/**
 * A refusal or failure, with a stable code and a human sentence. Codes are the server's error
 * codes ({@code VALIDATION_ERROR}, {@code STORAGE_UNAVAILABLE}, …) for what it refused, and the
 * SDK's own for what happened on this side:
 * {@value #NOT_CONNECTED}, {@value #OUTBOX_FULL}, {@value #CONNECTION_LOST}, {@value #TIMEOUT},
 * {@value #CLOSED}.
 */
public final class ArqonBusException extends RuntimeException {
    /** The client is closed or its outbox does not take work while it is not connected. */
    public static final String NOT_CONNECTED = "not_connected";
    /** The bounded outbox (or the pending-publication bound) is full. */
    public static final String OUTBOX_FULL = "outbox_full";
    /** The connection ended before the answer arrived (commands; non-durable sends). */
    public static final String CONNECTION_LOST = "connection_lost";
    /** No answer within the command timeout. */
    public static final String TIMEOUT = "timeout";
    /** The client was closed (by the application, or by a close code that says stop). */
    public static final String CLOSED = "closed";

    private final String code;

    public ArqonBusException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** The stable code. */
    public String code() {
        return code;
    }

    /** Whether the server refused (its codes are upper case; the SDK's own are lower case). */
    public boolean isServerRefusal() {
        return !code.isEmpty() && code.equals(code.toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    public String toString() {
        return "ArqonBusException[" + code + "]: " + getMessage();
    }
}
