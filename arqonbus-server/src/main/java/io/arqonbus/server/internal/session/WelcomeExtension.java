package io.arqonbus.server.internal.session;

import java.util.List;
import java.util.Map;

/**
 * Something a new connection may ask for with query parameters of its upgrade URL, sent right
 * after the welcome (e.g. {@code ?welcome=recent}). Called on the session's loop once the welcome
 * was queued and before any frame the connection sends is read: frames it queues with
 * {@code Hub.sendTo} arrive after the welcome and before anything else. Must not block.
 */
@FunctionalInterface
public interface WelcomeExtension {
    /**
     * @param session the new connection
     * @param query   the decoded query parameters of its upgrade request (may be empty)
     */
    void welcomed(Session session, Map<String, List<String>> query);
}
