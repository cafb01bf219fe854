package io.arqonbus.server.testing;

/** How a connection ended: the WebSocket close code and reason, or {@code -1} when the socket broke. */
public record CloseStatus(int code, String reason) {
    /** The status of a connection that ended without a close frame. */
    public static CloseStatus abnormal(Throwable cause) {
        return new CloseStatus(-1, cause == null ? "connection lost" : String.valueOf(cause.getMessage()));
    }
}
