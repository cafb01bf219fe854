package io.arqonbus.server.history;

import io.arqonbus.server.hub.ChannelKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
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

    /**
     * Reads at most {@code limit} messages without sorting whole streams: each stream is walked
     * from the end the window keeps (streams are in store order), into a heap bounded by the
     * limit, and a walk stops as soon as the heap is full of messages closer to that end.
     */
    @Override
    public List<StoredMessage> query(HistoryQuery query) {
        if (query.limit() == 0) {
            return List.of();
        }
        boolean latest = query.window() == HistoryQuery.Window.LATEST;
        // The heap's head is the candidate that leaves first when the heap is over the limit.
        PriorityQueue<Candidate> heap = new PriorityQueue<>(latest ? STORE_ORDER : STORE_ORDER.reversed());
        if (query.channel() != null) {
            ChannelKey key = ChannelKey.of(query.room(), query.channel());
            Ring ring = rings.get(key);
            if (ring != null) {
                ring.collect(key.toString(), query, heap, latest);
            }
        } else {
            for (var entry : rings.entrySet()) {
                ChannelKey key = entry.getKey();
                if (query.room() == null || query.room().equals(key.room())) {
                    entry.getValue().collect(key.toString(), query, heap, latest);
                }
            }
        }
        List<Candidate> picked = new ArrayList<>(heap);
        picked.sort(query.newestFirst() ? STORE_ORDER.reversed() : STORE_ORDER);
        List<StoredMessage> out = new ArrayList<>(picked.size());
        for (Candidate c : picked) {
            out.add(c.message());
        }
        return out;
    }

    /** A message found by a query, with what orders it among messages of other streams. */
    private record Candidate(StoredMessage message, String stream, long index) {
    }

    /** Store order: store time, then stream name, then place in the stream. */
    private static final Comparator<Candidate> STORE_ORDER = Comparator
            .comparing((Candidate c) -> c.message().storedAt())
            .thenComparing(Candidate::stream)
            .thenComparingLong(Candidate::index);

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

        /**
         * Offers this stream's messages in the query's range to the heap, walking from the end
         * the window keeps and stopping once the heap is full of messages closer to that end.
         */
        synchronized void collect(String stream, HistoryQuery query, PriorityQueue<Candidate> heap,
                boolean latest) {
            trimOld();
            int size = messages.size();
            Iterator<StoredMessage> it = latest ? messages.descendingIterator() : messages.iterator();
            for (int i = 0; it.hasNext(); i++) {
                StoredMessage m = it.next();
                Instant at = m.storedAt();
                if (latest ? query.until() != null && !at.isBefore(query.until())
                        : query.since() != null && at.isBefore(query.since())) {
                    continue;
                }
                if (!query.inRange(at)) {
                    return;
                }
                Candidate c = new Candidate(m, stream, latest ? size - 1L - i : i);
                if (heap.size() >= query.limit()) {
                    if (heap.comparator().compare(c, heap.peek()) <= 0) {
                        return;
                    }
                    heap.poll();
                }
                heap.add(c);
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
