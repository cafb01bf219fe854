package io.arqonbus.server.internal.subscription;

import io.arqonbus.server.internal.session.Session;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The filtered subscriptions of the connections one event loop serves. Read and written only on
 * that loop, except {@link #count()}, which the publishing thread reads to decide whether the loop
 * needs the publication at all. The array the deliveries iterate is copy-on-write, so a
 * subscription removed mid-delivery never disturbs it.
 */
final class LoopSubscriptions {
    private static final FilterSubscription[] EMPTY = new FilterSubscription[0];

    private FilterSubscription[] all = EMPTY;
    private final Map<Session, Map<String, FilterSubscription>> bySession = new HashMap<>();
    private volatile int count;

    /** The subscriptions, in the order they were made (loop-confined). */
    FilterSubscription[] all() {
        return all;
    }

    /** How many subscriptions this loop holds; readable from any thread. */
    int count() {
        return count;
    }

    /** How many subscriptions the session holds. */
    int countOf(Session session) {
        Map<String, FilterSubscription> own = bySession.get(session);
        return own == null ? 0 : own.size();
    }

    /** Whether the session holds no subscription yet. */
    boolean isNew(Session session) {
        return !bySession.containsKey(session);
    }

    void add(FilterSubscription subscription) {
        bySession.computeIfAbsent(subscription.session(), s -> new LinkedHashMap<>())
                .put(subscription.id(), subscription);
        FilterSubscription[] next = Arrays.copyOf(all, all.length + 1);
        next[all.length] = subscription;
        all = next;
        count = next.length;
    }

    /** Removes the session's subscription with this id; {@code null} when it holds none such. */
    FilterSubscription remove(Session session, String id) {
        Map<String, FilterSubscription> own = bySession.get(session);
        FilterSubscription removed = own == null ? null : own.remove(id);
        if (removed == null) {
            return null;
        }
        if (own.isEmpty()) {
            bySession.remove(session);
        }
        all = Arrays.stream(all).filter(s -> s != removed).toArray(FilterSubscription[]::new);
        count = all.length;
        return removed;
    }

    /** Removes every subscription of the session; returns how many there were. */
    int removeAll(Session session) {
        Map<String, FilterSubscription> own = bySession.remove(session);
        if (own == null) {
            return 0;
        }
        all = Arrays.stream(all).filter(s -> s.session() != session).toArray(FilterSubscription[]::new);
        count = all.length;
        return own.size();
    }
}
