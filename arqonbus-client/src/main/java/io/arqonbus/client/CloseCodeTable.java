package io.arqonbus.client;

import io.arqonbus.protocol.CloseCodes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The close-code table of docs/protocol.md §12 "Writing a client", row by row, as the Java SDK
 * applies it ({@code CloseCodeTableDocTest} compares the two). Every reconnect waits for the
 * {@link ReconnectPolicy}'s backoff (exponential, full jitter, ceiling) and then rejoins every
 * subscription with its last position, so that a reconnect after 4001 (slow consumer) recovers
 * what was dropped.
 *
 * <table>
 * <caption>close code → action</caption>
 * <tr><td>1000 normal (the server never sends it on its own; the client's own close ends the
 *     client before this table is asked)</td><td>reconnect</td></tr>
 * <tr><td>1001 going away (server shutting down)</td><td>reconnect</td></tr>
 * <tr><td>1002 protocol error (the client broke RFC 6455)</td><td>stop</td></tr>
 * <tr><td>1006 abnormal (no close frame; also a failed handshake or refused TCP connection)</td><td>reconnect</td></tr>
 * <tr><td>1008 policy violation (a frame that never finished arriving)</td><td>stop</td></tr>
 * <tr><td>1009 a frame of ours too large: the durable publications and commands in flight on
 *     that connection fail with {@link ArqonBusException#MESSAGE_TOO_BIG} and are never sent
 *     again</td><td>reconnect</td></tr>
 * <tr><td>1011 server error / keepalive timeout</td><td>reconnect</td></tr>
 * <tr><td>1013 try again later (a connection limit, server busy)</td><td>reconnect</td></tr>
 * <tr><td>4000 too many protocol violations</td><td>stop</td></tr>
 * <tr><td>4001 slow consumer</td><td>reconnect and recover</td></tr>
 * <tr><td>4002 rate limit exceeded</td><td>reconnect</td></tr>
 * <tr><td>4003 token expired</td><td>reconnect only with a new token from the supplier, else stop</td></tr>
 * <tr><td>4004 idle timeout</td><td>reconnect</td></tr>
 * <tr><td>4005 disconnected by an administrator</td><td>stop</td></tr>
 * <tr><td>any other code (a newer server's)</td><td>reconnect</td></tr>
 * </table>
 */
public final class CloseCodeTable {
    /** The code a client reports when the connection broke without a close frame (RFC 6455 §7.1.5). */
    public static final int ABNORMAL = 1006;
    /** A normal close. */
    public static final int NORMAL = 1000;

    private static final Map<Integer, CloseAction> ROWS = rows(
            NORMAL, CloseAction.RECONNECT,
            CloseCodes.GOING_AWAY, CloseAction.RECONNECT,
            CloseCodes.PROTOCOL_ERROR, CloseAction.STOP,
            ABNORMAL, CloseAction.RECONNECT,
            CloseCodes.POLICY_VIOLATION, CloseAction.STOP,
            CloseCodes.MESSAGE_TOO_BIG, CloseAction.RECONNECT,
            CloseCodes.INTERNAL_ERROR, CloseAction.RECONNECT,
            CloseCodes.TRY_AGAIN_LATER, CloseAction.RECONNECT,
            CloseCodes.TOO_MANY_VIOLATIONS, CloseAction.STOP,
            CloseCodes.SLOW_CONSUMER, CloseAction.RECONNECT,
            CloseCodes.RATE_LIMIT_EXCEEDED, CloseAction.RECONNECT,
            CloseCodes.TOKEN_EXPIRED, CloseAction.RECONNECT_WITH_NEW_TOKEN,
            CloseCodes.IDLE_TIMEOUT, CloseAction.RECONNECT,
            CloseCodes.DISCONNECTED, CloseAction.STOP);

    private CloseCodeTable() {
    }

    /** What to do after a connection the client did not close ended with {@code code}; unknown codes reconnect. */
    public static CloseAction actionFor(int code) {
        return ROWS.getOrDefault(code, CloseAction.RECONNECT);
    }

    /** Every documented row, in the order of docs/protocol.md (for documentation and tests). */
    public static Map<Integer, CloseAction> rows() {
        return ROWS;
    }

    private static Map<Integer, CloseAction> rows(Object... pairs) {
        Map<Integer, CloseAction> rows = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            rows.put((Integer) pairs[i], (CloseAction) pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(rows);
    }
}
