package io.arqonbus.server.internal.session;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Every live bus session by client id. Thread-safe; updated on connect, identify and disconnect. */
public final class SessionRegistry {
    private final ConcurrentHashMap<String, Session> byClientId = new ConcurrentHashMap<>();

    /** Adds a new session; {@code false} when its id is taken (server ids never collide). */
    public boolean register(Session session) {
        return byClientId.putIfAbsent(session.clientId(), session) == null;
    }

    /** Removes a session that has ended. */
    public void unregister(Session session) {
        byClientId.remove(session.clientId(), session);
    }

    /** The live session with this client id, or {@code null}. */
    public Session find(String clientId) {
        return byClientId.get(clientId);
    }

    /**
     * Gives the session a new client id if no other live session holds it.
     *
     * @return {@code true} when renamed (or already so named)
     */
    public boolean rename(Session session, String newId) {
        String oldId = session.clientId();
        if (oldId.equals(newId)) {
            return true;
        }
        if (byClientId.putIfAbsent(newId, session) != null) {
            return false;
        }
        session.clientId(newId);
        byClientId.remove(oldId, session);
        return true;
    }

    /** How many sessions are live. */
    public int size() {
        return byClientId.size();
    }

    /** A live view of the sessions. */
    public Collection<Session> all() {
        return Collections.unmodifiableCollection(byClientId.values());
    }

    /** Live sessions counted by client type ({@code unknown} when not identified), sorted by type. */
    public Map<String, Integer> countByType() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Session session : byClientId.values()) {
            counts.merge(session.info().typeOrUnknown(), 1, Integer::sum);
        }
        return counts;
    }
}
