package io.arqonbus.server.history;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.server.hub.ChannelKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
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
 *
 * <p>A ring keeps a reference to the delivered JSON bytes themselves (a retained slice of the
 * frame the hub encoded once), outside the Java heap: a full history of a million messages is a
 * million small objects for the garbage collector to skip over, not a million byte arrays or trees
 * to copy. Reads copy what they return under the ring's monitor, so an entry trimmed right after
 * a read is never touched again; trimmed entries are released at once.
 */
public final class MemoryHistoryStore implements HistoryStore {
    private final ConcurrentHashMap<ChannelKey, Ring> rings = new ConcurrentHashMap<>();
    private final AtomicLong size = new AtomicLong();
    private final int maxPerStream;
    private final Duration maxAge;
    private final Clock clock;
    private final EnvelopeCodec codec;

    /**
     * @param maxPerStream messages kept per stream (0 keeps none)
     * @param maxAge       messages older than this are dropped
     * @param clock        the clock ages are measured with
     * @param codec        decodes what reads return
     */
    public MemoryHistoryStore(int maxPerStream, Duration maxAge, Clock clock, EnvelopeCodec codec) {
        this.maxPerStream = maxPerStream;
        this.maxAge = maxAge;
        this.clock = clock;
        this.codec = codec;
    }

    @Override
    public void append(ChannelKey key, ByteBuf json, Instant storedAt) {
        if (maxPerStream == 0) {
            return;
        }
        rings.computeIfAbsent(key, k -> new Ring()).append(new Entry(json.retainedSlice(), storedAt));
    }

    /** What a ring holds: the JSON (one reference, released when trimmed) and the store time. */
    private record Entry(ByteBuf json, Instant storedAt) {
        StoredMessage copy(EnvelopeCodec codec) {
            return StoredMessage.of(ByteBufUtil.getBytes(json), storedAt, codec);
        }
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
    private record Candidate(Instant storedAt, String stream, long index, StoredMessage message) {
        Candidate with(StoredMessage copy) {
            return new Candidate(storedAt, stream, index, copy);
        }
    }

    /** Store order: store time, then stream name, then place in the stream. */
    private static final Comparator<Candidate> STORE_ORDER = Comparator
            .comparing(Candidate::storedAt)
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

    /** Releases everything kept. */
    @Override
    public void close() {
        for (ChannelKey key : List.copyOf(rings.keySet())) {
            delete(key);
        }
    }

    /** One stream's ring, guarded by its own monitor. */
    private final class Ring {
        private final ArrayDeque<Entry> messages = new ArrayDeque<>();
        private boolean cleared;

        synchronized void append(Entry entry) {
            if (cleared) {
                entry.json().release();
                return;
            }
            messages.addLast(entry);
            size.incrementAndGet();
            while (messages.size() > maxPerStream) {
                messages.removeFirst().json().release();
                size.decrementAndGet();
            }
            trimOld();
        }

        synchronized List<StoredMessage> latest(int limit) {
            trimOld();
            int skip = Math.max(0, messages.size() - limit);
            List<StoredMessage> out = new ArrayList<>(Math.min(limit, messages.size()));
            Iterator<Entry> it = messages.iterator();
            for (int i = 0; it.hasNext(); i++) {
                Entry m = it.next();
                if (i >= skip) {
                    out.add(m.copy(codec));
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
            Iterator<Entry> it = latest ? messages.descendingIterator() : messages.iterator();
            for (int i = 0; it.hasNext(); i++) {
                Entry m = it.next();
                Instant at = m.storedAt();
                if (latest ? query.until() != null && !at.isBefore(query.until())
                        : query.since() != null && at.isBefore(query.since())) {
                    continue;
                }
                if (!query.inRange(at)) {
                    return;
                }
                Candidate c = new Candidate(at, stream, latest ? size - 1L - i : i, null);
                if (heap.size() >= query.limit()) {
                    if (heap.comparator().compare(c, heap.peek()) <= 0) {
                        return;
                    }
                    heap.poll();
                }
                // Copied under the monitor: the entry may be trimmed and released right after.
                heap.add(c.with(m.copy(codec)));
            }
        }

        synchronized void clear() {
            cleared = true;
            size.addAndGet(-messages.size());
            for (Entry entry : messages) {
                entry.json().release();
            }
            messages.clear();
        }

        private void trimOld() {
            Instant oldest = clock.instant().minus(maxAge);
            while (!messages.isEmpty() && messages.peekFirst().storedAt().isBefore(oldest)) {
                messages.removeFirst().json().release();
                size.decrementAndGet();
            }
        }
    }
}
