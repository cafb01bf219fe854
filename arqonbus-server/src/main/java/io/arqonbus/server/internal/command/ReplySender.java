package io.arqonbus.server.internal.command;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.internal.session.Session;

/** Where the dispatcher's replies go: written to the caller's connection, behind what is queued for it. */
@FunctionalInterface
public interface ReplySender {

    /** Queues {@code reply} for {@code session} on its loop; may be called from any thread. */
    void send(Session session, Envelope reply);
}
