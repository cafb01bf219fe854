package io.arqonbus.client;

/** What the SDK does when a connection ends with a given close code ({@link CloseCodeTable}). */
public enum CloseAction {
    /** Do not reconnect: the client becomes {@link ClientState#CLOSED}. */
    STOP,
    /** Reconnect after the backoff delay, rejoin and recover every subscription by position. */
    RECONNECT,
    /**
     * Reconnect only if the token supplier gives a token other than the one that expired;
     * otherwise stop.
     */
    RECONNECT_WITH_NEW_TOKEN
}
