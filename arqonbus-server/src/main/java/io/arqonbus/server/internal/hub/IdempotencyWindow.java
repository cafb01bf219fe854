package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.StreamPosition;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The idempotency keys a channel saw within the dedup window, each with the position its first
 * publication got (a future: the store may not have confirmed it yet). Bounded by age and count,
 * oldest forgotten first; guarded by the channel's lock.
 */
final class IdempotencyWindow {
    private record Seen(Instant at, CompletableFuture<StreamPosition> position) {
    }

    private final LinkedHashMap<String, Seen> keys = new LinkedHashMap<>();
    private final Duration window;
    private final int maxKeys;

    IdempotencyWindow(Duration window, int maxKeys) {
        this.window = window;
        this.maxKeys = maxKeys;
    }

    /** The position of the first publication with this key within the window, or {@code null}. */
    CompletableFuture<StreamPosition> find(String key, Instant now) {
        expire(now);
        Seen seen = keys.get(key);
        return seen == null ? null : seen.position();
    }

    /** Remembers a key's first publication. */
    void remember(String key, CompletableFuture<StreamPosition> position, Instant now) {
        keys.put(key, new Seen(now, position));
        while (keys.size() > maxKeys) {
            Iterator<Map.Entry<String, Seen>> oldest = keys.entrySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** Forgets a key whose publication was refused, so a retry is a first attempt again. */
    void forget(String key, CompletableFuture<StreamPosition> position) {
        Seen seen = keys.get(key);
        if (seen != null && seen.position() == position) {
            keys.remove(key);
        }
    }

    private void expire(Instant now) {
        Instant oldest = now.minus(window);
        Iterator<Seen> it = keys.values().iterator();
        while (it.hasNext() && it.next().at().isBefore(oldest)) {
            it.remove();
        }
    }
}
