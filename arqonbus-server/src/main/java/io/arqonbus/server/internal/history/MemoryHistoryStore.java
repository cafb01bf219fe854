package io.arqonbus.server.internal.history;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default store: a bounded ring per stream in memory, trimmed by count on append and by age
 * on append and read. Each ring is guarded by its own monitor, held only for a pointer append or
 * a copy. Nothing survives a restart ({@link #durable()} is {@code false}); every future it returns
 * is already complete.
 *
 * <p>A ring keeps the delivered JSON bytes themselves, copied into one direct buffer per stream
 * used as a circle ({@link ByteArena}), and the entries in parallel arrays (offset, time, start,
 * length): no object per entry, so a full history costs the garbage collector nothing per
 * message. Reads copy what they return under the ring's monitor. A stream's buffer grows to the
 * most bytes it held at once and is freed when the stream is deleted or the store closed.
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
    public Map<ChannelKey, StreamPosition> open() {
        return Map.of();
    }

    @Override
    public CompletableFuture<Void> append(ChannelKey key, StreamPosition position, ByteBuf json, Instant storedAt) {
        if (maxPerStream > 0) {
            rings.computeIfAbsent(key, k -> new Ring()).append(position, json, storedAt);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<List<StoredMessage>> read(ChannelKey key, long afterOffset, int limit,
            boolean newestFirst) {
        Ring ring = rings.get(key);
        return CompletableFuture.completedFuture(
                ring == null || limit <= 0 ? List.of() : ring.read(afterOffset, limit, newestFirst));
    }

    /**
     * Reads at most {@code limit} messages without sorting whole streams: each stream is walked
     * from the end the window keeps (streams are in store order) into a {@link BoundedMerge}, and a
     * walk stops as soon as the merge holds {@code limit} messages closer to that end.
     */
    @Override
    public CompletableFuture<List<StoredMessage>> query(HistoryQuery query) {
        if (query.limit() == 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        boolean latest = query.window() == HistoryQuery.Window.LATEST;
        BoundedMerge<StoredMessage> merge = new BoundedMerge<>(query);
        if (query.channel() != null) {
            ChannelKey key = ChannelKey.of(query.room(), query.channel());
            Ring ring = rings.get(key);
            if (ring != null) {
                ring.collect(key.toString(), merge, latest);
            }
        } else {
            for (var entry : rings.entrySet()) {
                ChannelKey key = entry.getKey();
                if (query.room() == null || query.room().equals(key.room())) {
                    entry.getValue().collect(key.toString(), merge, latest);
                }
            }
        }
        return CompletableFuture.completedFuture(merge.result());
    }

    @Override
    public CompletableFuture<Void> delete(ChannelKey key) {
        Ring ring = rings.remove(key);
        if (ring != null) {
            ring.clear();
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public long size() {
        return size.get();
    }

    @Override
    public String backend() {
        return "memory";
    }

    @Override
    public boolean durable() {
        return false;
    }

    /** Releases everything kept. */
    @Override
    public void close() {
        for (ChannelKey key : List.copyOf(rings.keySet())) {
            delete(key);
        }
    }

    /**
     * One stream's entries in offset order, in three parallel circular arrays that grow up to
     * {@code maxPerStream}; guarded by its own monitor.
     */
    private final class Ring {
        private long[] offsets = new long[8];
        private long[] storedAtNanos = new long[8];
        private long[] begins = new long[8];
        private int[] lengths = new int[8];
        private final ByteArena arena = new ByteArena(ByteBufAllocator.DEFAULT);
        private int head;
        private int count;
        private String epoch;
        private boolean cleared;

        synchronized void append(StreamPosition position, ByteBuf json, Instant storedAt) {
            if (cleared) {
                return;
            }
            if (epoch != null && !epoch.equals(position.epoch())) {
                dropOldest(count);
            }
            epoch = position.epoch();
            if (count == begins.length) {
                if (count >= maxPerStream) {
                    dropOldest(1);
                } else {
                    grow();
                }
            }
            int at = slot(count);
            offsets[at] = position.offset();
            storedAtNanos[at] = nanos(storedAt);
            lengths[at] = json.readableBytes();
            begins[at] = arena.append(json);
            count++;
            size.incrementAndGet();
            while (count > maxPerStream) {
                dropOldest(1);
            }
            trimOld();
        }

        synchronized List<StoredMessage> read(long afterOffset, int limit, boolean newestFirst) {
            trimOld();
            int first = firstAfter(afterOffset);
            int available = count - first;
            int n = Math.min(limit, available);
            List<StoredMessage> out = new ArrayList<>(n);
            if (newestFirst) {
                for (int i = count - 1; i >= count - n; i--) {
                    out.add(copy(i));
                }
            } else {
                for (int i = first; i < first + n; i++) {
                    out.add(copy(i));
                }
            }
            return out;
        }

        /**
         * Offers this stream's messages to the merge, walking from the end the window keeps and
         * stopping once the merge keeps no more of them.
         */
        synchronized void collect(String stream, BoundedMerge<StoredMessage> merge, boolean latest) {
            trimOld();
            for (int k = 0; k < count; k++) {
                int i = latest ? count - 1 - k : k;
                // Copied under the monitor: the entry may be trimmed and released right after.
                if (!merge.offer(instant(storedAtNanos[slot(i)]), stream, offsets[slot(i)], () -> copy(i))) {
                    return;
                }
            }
        }

        synchronized void clear() {
            cleared = true;
            dropOldest(count);
            arena.release();
        }

        /** The index (0 = oldest) of the first entry with an offset greater than {@code after}. */
        private int firstAfter(long after) {
            int lo = 0;
            int hi = count;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (offsets[slot(mid)] <= after) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        private StoredMessage copy(int index) {
            int at = slot(index);
            return StoredMessage.of(arena.copy(begins[at], lengths[at]), offsets[at], instant(storedAtNanos[at]), codec);
        }

        private int slot(int index) {
            return (head + index) % begins.length;
        }

        private void grow() {
            int capacity = (int) Math.min((long) begins.length * 2, Math.max(maxPerStream, begins.length));
            long[] o = new long[capacity];
            long[] t = new long[capacity];
            long[] b = new long[capacity];
            int[] l = new int[capacity];
            for (int i = 0; i < count; i++) {
                int at = slot(i);
                o[i] = offsets[at];
                t[i] = storedAtNanos[at];
                b[i] = begins[at];
                l[i] = lengths[at];
            }
            offsets = o;
            storedAtNanos = t;
            begins = b;
            lengths = l;
            head = 0;
        }

        private void dropOldest(int n) {
            if (n == 0) {
                return;
            }
            for (int k = 0; k < n; k++) {
                head = (head + 1) % begins.length;
                count--;
                size.decrementAndGet();
            }
            arena.dropTo(count > 0 ? begins[head] : arena.end());
        }

        private void trimOld() {
            long oldest = nanos(clock.instant().minus(maxAge));
            int n = 0;
            while (n < count && storedAtNanos[slot(n)] < oldest) {
                n++;
            }
            dropOldest(n);
        }
    }

    private static long nanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
