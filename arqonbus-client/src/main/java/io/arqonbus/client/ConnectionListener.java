package io.arqonbus.client;

/** Told of every {@link ClientState} change, in order, on the client's event thread; must not block. */
@FunctionalInterface
public interface ConnectionListener {
    void onEvent(ConnectionEvent event);
}
