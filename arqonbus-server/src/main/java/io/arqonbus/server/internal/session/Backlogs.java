package io.arqonbus.server.internal.session;

import io.arqonbus.server.internal.channel.ChannelKey;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The backlogs of one connection that fell behind, one per {@code drop-oldest} or {@code conflate}
 * channel it is behind on, drained in the order they were opened. Loop-confined.
 */
final class Backlogs {
    private final LinkedHashMap<ChannelKey, Backlog> byChannel = new LinkedHashMap<>();

    Backlog get(ChannelKey key) {
        return byChannel.get(key);
    }

    Backlog open(ChannelKey key, BacklogPolicy policy) {
        Backlog backlog = new Backlog(policy);
        byChannel.put(key, backlog);
        return backlog;
    }

    boolean isEmpty() {
        return byChannel.isEmpty();
    }

    /**
     * Writes out the backlogs while the connection takes them, each emptied one removed; returns
     * whether all are gone.
     */
    boolean drainInto(Outbound outbound) {
        Iterator<Backlog> it = byChannel.values().iterator();
        while (it.hasNext()) {
            if (!it.next().drainInto(outbound)) {
                return false;
            }
            it.remove();
        }
        return true;
    }

    /** Releases and forgets one channel's backlog (the member left it). */
    void release(ChannelKey key) {
        Backlog backlog = byChannel.remove(key);
        if (backlog != null) {
            backlog.release();
        }
    }

    /** Releases every backlog. */
    void releaseAll() {
        byChannel.values().forEach(Backlog::release);
        byChannel.clear();
    }

    long bytes() {
        long total = 0;
        for (Backlog backlog : byChannel.values()) {
            total += backlog.bytes();
        }
        return total;
    }

    int frames() {
        int total = 0;
        for (Backlog backlog : byChannel.values()) {
            total += backlog.frames();
        }
        return total;
    }
}
