package io.arqonbus.server.history;

import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.hub.ChannelKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default store: a bounded ring per stream in memory, trimmed by count on append and by age
 * on append and read. Each ring is guarded by its own monitor, held only for a pointer append or
 * a copy.
 */
public final class MemoryHistoryStore implements HistoryStore {
    private final ConcurrentHashMap<ChannelKey, Ring> rings = new ConcurrentHashMap<>();
    private final AtomicLong size = new AtomicLong();
    private final int maxPerStream;
    private final Duration maxAge;
    private final Clock clock;

    /**
     * @param maxPerStream messages kept per stream (0 keeps none)
     * @param maxAge       messages older than this are dropped
     * @param clock        the clock ages are measured with
     */
    public MemoryHistoryStore(int maxPerStream, Duration maxAge, Clock clock) {
        this.maxPerStream = maxPerStream;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    @Override
    public void append(ChannelKey key, StoredMessage message) {
        if (maxPerStream == 0) {
            return;
        }
        rings.computeIfAbsent(key, k -> new Ring()).append(message);
    }

    @Override
    public List<StoredMessage> latest(ChannelKey key, int limit) {
        Ring ring = rings.get(key);
        return ring == null ? List.of() : ring.latest(limit);
    }

    @Override
    public List<StoredMessage> query(HistoryQuery query) {
        List<StoredMessage> matches = new ArrayList<>();
        for (var entry : rings.entrySet()) {
            ChannelKey key = entry.getKey();
            if (query.room() != null && !query.room().equals(key.room())) {
                continue;
            }
            if (query.channel() != null && !query.channel().equals(key.channel())) {
                continue;
            }
            entry.getValue().collect(query, matches);
        }
        Comparator<StoredMessage> oldestFirst = Comparator
                .comparing((StoredMessage m) -> Timestamps.parse(m.envelope().timestamp()))
                .thenComparing(StoredMessage::storedAt);
        matches.sort(oldestFirst);
        int from = Math.max(0, matches.size() - query.limit());
        List<StoredMessage> newest = new ArrayList<>(matches.subList(from, matches.size()));
        if (query.newestFirst()) {
            java.util.Collections.reverse(newest);
        }
        return newest;
    }

    @Override
    public void delete(ChannelKey key) {
        Ring ring = rings.remove(key);
        if (ring != null) {
            ring.clear();
        }
    }

    @Override
    public long size() {
        return size.get();
    }

    @Override
    public String backend() {
        return "memory";
    }

    /** One stream's ring, guarded by its own monitor. */
    private final class Ring {
        private final ArrayDeque<StoredMessage> messages = new ArrayDeque<>();

        synchronized void append(StoredMessage message) {
            messages.addLast(message);
            size.incrementAndGet();
            while (messages.size() > maxPerStream) {
                messages.removeFirst();
                size.decrementAndGet();
            }
            trimOld();
        }

        synchronized List<StoredMessage> latest(int limit) {
            trimOld();
            int skip = Math.max(0, messages.size() - limit);
            List<StoredMessage> out = new ArrayList<>(Math.min(limit, messages.size()));
            Iterator<StoredMessage> it = messages.iterator();
            for (int i = 0; it.hasNext(); i++) {
                StoredMessage m = it.next();
                if (i >= skip) {
                    out.add(m);
                }
            }
            return out;
        }

        synchronized void collect(HistoryQuery query, List<StoredMessage> out) {
            trimOld();
            for (StoredMessage m : messages) {
                if (query.since() == null && query.until() == null) {
                    out.add(m);
                    continue;
                }
                Instant at = Timestamps.parse(m.envelope().timestamp());
                if ((query.since() == null || !at.isBefore(query.since()))
                        && (query.until() == null || at.isBefore(query.until()))) {
                    out.add(m);
                }
            }
        }

        synchronized void clear() {
            size.addAndGet(-messages.size());
            messages.clear();
        }

        private void trimOld() {
            Instant oldest = clock.instant().minus(maxAge);
            while (!messages.isEmpty() && messages.peekFirst().storedAt().isBefore(oldest)) {
                messages.removeFirst();
                size.decrementAndGet();
            }
        }
    }
}
