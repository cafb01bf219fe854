package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.internal.session.Session;

/**
 * Observes every publication the hub delivers: channel publications (with their position) and
 * room broadcasts (no channel), after inspection, exactly as members receive them. Frames the
 * server sends without storing (join/leave notices, typing signals, command replies, private
 * messages) are not publications and are not observed.
 *
 * <p>Called once per publication, for one channel in offset order, on whichever thread released
 * it, while the channel's lock may be held: an implementation must not block and must return
 * quickly (hand the work to its own executor). An exception it throws is logged and otherwise
 * ignored.
 */
@FunctionalInterface
public interface PublicationListener {
    /**
     * @param delivered the envelope as delivered
     * @param sender    the connection that published it, or {@code null} when the server or the
     *                  host application did
     */
    void published(Envelope delivered, Session sender);
}
