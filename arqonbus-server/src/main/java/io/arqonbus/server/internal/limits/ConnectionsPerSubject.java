package io.arqonbus.server.internal.limits;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Open connections per authenticated subject (the token's {@code sub}), bounded: one subject may
 * not hold more than {@code max} connections at once. Thread-safe.
 */
public final class ConnectionsPerSubject {
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();
    private final int max;

    /** @param max connections one subject may hold; 0 means no bound */
    public ConnectionsPerSubject(int max) {
        this.max = max;
    }

    /**
     * Counts a new connection of {@code subject}; {@code false} (and nothing counted) when the
     * subject already holds the maximum. A {@code null} subject (no token) is never bounded here.
     */
    public boolean tryOpen(String subject) {
        if (subject == null || max == 0) {
            return true;
        }
        boolean[] admitted = {false};
        open.compute(subject, (s, n) -> {
            int now = n == null ? 0 : n;
            if (now >= max) {
                return n;
            }
            admitted[0] = true;
            return now + 1;
        });
        return admitted[0];
    }

    /** Forgets one connection of {@code subject} that {@link #tryOpen} admitted. */
    public void closed(String subject) {
        if (subject == null || max == 0) {
            return;
        }
        open.computeIfPresent(subject, (s, n) -> n <= 1 ? null : n - 1);
    }

    /** How many connections the subject holds now. */
    public int count(String subject) {
        return open.getOrDefault(subject, 0);
    }
}
