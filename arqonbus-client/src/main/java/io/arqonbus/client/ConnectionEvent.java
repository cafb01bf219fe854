package io.arqonbus.client;

import java.time.Duration;

/**
 * A change of a client's {@link ClientState}.
 *
 * @param state   the new state
 * @param code    the close code that ended the connection ({@link CloseCodeTable#ABNORMAL} = 1006
 *                when it broke without a close frame or could not be opened), 0 otherwise
 * @param reason  the close reason or the failure's sentence; empty when none
 * @param retryIn with {@link ClientState#DISCONNECTED}: the delay before the next attempt;
 *                {@code null} otherwise
 */
public record ConnectionEvent(ClientState state, int code, String reason, Duration retryIn) {
    static ConnectionEvent of(ClientState state) {
        return new ConnectionEvent(state, 0, "", null);
    }
}
