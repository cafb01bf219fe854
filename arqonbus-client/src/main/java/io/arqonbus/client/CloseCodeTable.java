package io.arqonbus.client;

import io.arqonbus.protocol.CloseCodes;

/**
 * The close-code table of docs/protocol.md ("Writing a client"), as the Java SDK applies it.
 * Every reconnect waits for the {@link ReconnectPolicy}'s backoff (exponential, full jitter,
 * ceiling) and then rejoins every subscription with its last position, so that a reconnect after
 * 4001 (slow consumer) recovers what was dropped.
 *
 * <table>
 * <caption>close code → action</caption>
 * <tr><td>1000 normal</td><td>stop</td></tr>
 * <tr><td>1001 going away (server shutting down)</td><td>reconnect</td></tr>
 * <tr><td>1006 abnormal (no close frame; also a failed handshake or refused TCP connection)</td><td>reconnect</td></tr>
 * <tr><td>1011 server error / keepalive timeout</td><td>reconnect</td></tr>
 * <tr><td>1013 try again later (a connection limit, server busy)</td><td>reconnect with backoff</td></tr>
 * <tr><td>4001 slow consumer</td><td>reconnect and recover</td></tr>
 * <tr><td>4002 rate limit exceeded</td><td>reconnect with backoff</td></tr>
 * <tr><td>4004 idle timeout</td><td>reconnect</td></tr>
 * <tr><td>4003 token expired</td><td>reconnect only with a new token from the supplier, else stop</td></tr>
 * <tr><td>1008 policy violation / authentication refused, 4000 too many protocol violations,
 *     1002, 1003, 1007, 1009 (the client sent something the server will refuse again), any other
 *     code</td><td>stop</td></tr>
 * </table>
 */
public final class CloseCodeTable {
    /** The code a client reports when the connection broke without a close frame (RFC 6455 §7.1.5). */
    public static final int ABNORMAL = 1006;
    /** A normal close. */
    public static final int NORMAL = 1000;

    private CloseCodeTable() {
    }

    /** What to do after a connection ended with {@code code}. */
    public static CloseAction actionFor(int code) {
        return switch (code) {
            case CloseCodes.GOING_AWAY, ABNORMAL, CloseCodes.INTERNAL_ERROR, CloseCodes.TRY_AGAIN_LATER,
                 CloseCodes.SLOW_CONSUMER, CloseCodes.RATE_LIMIT_EXCEEDED, CloseCodes.IDLE_TIMEOUT -> CloseAction.RECONNECT;
            case CloseCodes.TOKEN_EXPIRED -> CloseAction.RECONNECT_WITH_NEW_TOKEN;
            default -> CloseAction.STOP;
        };
    }
}
