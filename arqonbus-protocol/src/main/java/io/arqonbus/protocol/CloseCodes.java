package io.arqonbus.protocol;

/**
 * The WebSocket close codes the server uses (protocol §12). Codes below 4000 are the RFC 6455
 * ones; 4000–4099 are ArqonBus's own. Every close carries a short reason text.
 */
public final class CloseCodes {
    /** The server is shutting down; reconnect elsewhere or later. */
    public static final int GOING_AWAY = 1001;
    /** The peer violated the WebSocket protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** A policy violation (authentication). */
    public static final int POLICY_VIOLATION = 1008;
    /** A frame or message was larger than the server accepts. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** The server hit an unexpected condition, or the keepalive timed out. */
    public static final int INTERNAL_ERROR = 1011;
    /** Try again later: the connection limit is reached. */
    public static final int TRY_AGAIN_LATER = 1013;
    /** Too many consecutive protocol violations. */
    public static final int TOO_MANY_VIOLATIONS = 4000;
    /** The client did not read fast enough; its pending output passed the budget. */
    public static final int SLOW_CONSUMER = 4001;
    /** The rate limit was exceeded repeatedly. */
    public static final int RATE_LIMIT_EXCEEDED = 4002;
    /** The token expired without a refresh. */
    public static final int TOKEN_EXPIRED = 4003;
    /** The connection was idle too long. */
    public static final int IDLE_TIMEOUT = 4004;
    /** An administrator disconnected the client (the HTTP API's {@code POST /api/disconnect}, by default). */
    public static final int DISCONNECTED = 4005;

    /**
     * Whether a peer may put this code in a close frame (RFC 6455 §7.4): 1000–1003, 1007–1014
     * (1012–1014 were registered with IANA after the RFC) and 3000–4999. Codes below 1000, 1004
     * (reserved), 1005, 1006 and 1015 (never sent on the wire), 1016–2999 (reserved for future
     * standards) and 5000 and above are not; a close frame carrying one is a protocol error.
     */
    public static boolean isValidPeerCode(int code) {
        return code >= 1000 && code <= 1003
                || code >= 1007 && code <= 1014
                || code >= 3000 && code <= 4999;
    }

    private CloseCodes() {
    }
}
