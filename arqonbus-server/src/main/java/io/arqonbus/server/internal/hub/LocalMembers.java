package io.arqonbus.server.internal.hub;

import io.arqonbus.server.internal.session.Session;
import java.util.Arrays;

/**
 * The members of one channel that one event loop serves. Read and written only on that loop
 * (changes happen under the channel's lock too, for the loop set). Copy-on-write, so a
 * delivery iterating the array is never disturbed by a member leaving mid-way.
 */
final class LocalMembers {
    private static final Session[] EMPTY = new Session[0];
    private Session[] sessions = EMPTY;

    Session[] sessions() {
        return sessions;
    }

    /** Adds a session; returns the new count. */
    int add(Session session) {
        Session[] next = Arrays.copyOf(sessions, sessions.length + 1);
        next[sessions.length] = session;
        sessions = next;
        return next.length;
    }

    /** Removes a session; returns the new count. */
    int remove(Session session) {
        Session[] current = sessions;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == session) {
                Session[] next = new Session[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                sessions = next.length == 0 ? EMPTY : next;
                return next.length;
            }
        }
        return current.length;
    }
}
