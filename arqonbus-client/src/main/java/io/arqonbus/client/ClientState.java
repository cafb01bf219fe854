package io.arqonbus.client;

/**
 * Where a client's connection is. {@code CONNECTING → CONNECTED → DISCONNECTED → CONNECTING …}
 * while the close-code table says "reconnect"; {@code CLOSED} is final (the application closed
 * the client, or the server closed with a code that says "stop").
 */
public enum ClientState {
    /** Opening the WebSocket (or waiting for the server's welcome). */
    CONNECTING,
    /** The welcome arrived; subscriptions rejoin and the outbox is sent. */
    CONNECTED,
    /** The connection ended and a reconnect is scheduled (see {@link ConnectionEvent#retryIn()}). */
    DISCONNECTED,
    /** Final: no reconnect; pending work has failed. */
    CLOSED
}
