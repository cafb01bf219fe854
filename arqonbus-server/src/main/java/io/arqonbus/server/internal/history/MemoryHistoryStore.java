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
 * The default store: a bounded ring per stream in memory, trimmed by count and bytes on append and
 * by age on append and read. Each ring is guarded by its own monitor, held only for a pointer append or
 * a copy. Nothing survives a restart ({@link #durable()} is {@code false}); every future it returns
 * is already complete.
 *
 * <p>A ring keeps the delivered JSON bytes themselves, copied into one direct buffer per stream
 * used as a circle ({@link ByteArena}), and the entries in parallel arrays (offset, time, start,
 * length): no object per entry, so a full history costs the garbage collector nothing per
 * message. Reads copy what they return under the ring's monitor.
 *
 * <p>Bytes are bounded twice. Per stream: an append first drops the stream's oldest entries while
 * the stream would hold more than {@code maxBytesPerStream} (the newest publication is always kept,
 * alone if need be). In all: the direct memory of every stream's buffer (its capacity, not only the
 * entries' lengths) is counted in one atomic total. An append that would grow its buffer while the
 * total is at its bound recycles the stream's own oldest entries instead; when the total is still
 * over (a new stream, a publication larger than its buffer), the streams holding the most memory
 * give back their oldest entries, each compacted to what it keeps. A buffer also shrinks when trims
 * leave it a quarter full, so what it holds stays near its bound. A client asking for what was
 * dropped sees it as it sees the count bound: older history is gone, and a recovery from a position
 * older than the oldest entry kept answers {@code recovered: false}.
 */
public final class MemoryHistoryStore implements HistoryStore {
    private final ConcurrentHashMap<ChannelKey, Ring> rings = new ConcurrentHashMap<>();
    private final AtomicLong size = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final int maxPerStream;
    private final long maxBytesPerStream;
    private final long maxTotalBytes;
    /** What a reclaim frees beyond the excess, so that a run of new streams does not scan every stream each. */
    private final long reclaimSlack;
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
        this(maxPerStream, Long.MAX_VALUE, Long.MAX_VALUE, maxAge, clock, codec);
    }

    /**
     * @param maxPerStream      messages kept per stream (0 keeps none)
     * @param maxBytesPerStream bytes kept per stream (the newest message is kept even when larger)
     * @param maxTotalBytes     direct memory all streams' buffers may take
     * @param maxAge            messages older than this are dropped
     * @param clock             the clock ages are measured with
     * @param codec             decodes what reads return
     */
    public MemoryHistoryStore(int maxPerStream, long maxBytesPerStream, long maxTotalBytes, Duration maxAge, Clock clock,
            EnvelopeCodec codec) {
        if (maxBytesPerStream <= 0 || maxTotalBytes <= 0) {
            throw new IllegalArgumentException("byte bounds: " + maxBytesPerStream + ", " + maxTotalBytes
                    + " (expected: > 0)");
        }
        this.maxPerStream = maxPerStream;
        this.maxBytesPerStream = maxBytesPerStream;
        this.maxTotalBytes = maxTotalBytes;
        this.reclaimSlack = maxTotalBytes == Long.MAX_VALUE ? 0 : maxTotalBytes / 64;
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
            Ring ring = rings.computeIfAbsent(key, k -> new Ring());
            ring.append(position, json, storedAt);
            if (bytes.get() > maxTotalBytes) {
                reclaim(ring);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Brings the total back under its bound: the streams holding the most memory give back their
     * oldest entries, {@code appending} keeping its newest. Runs only when the total is over, so the
     * scan over the streams is off the common path; it frees a slack beyond the excess.
     */
    private void reclaim(Ring appending) {
        List<Ring> spent = new ArrayList<>();
        long excess;
        while ((excess = bytes.get() - maxTotalBytes) > 0) {
            Ring victim = null;
            for (Ring ring : rings.values()) {
                if (!spent.contains(ring) && (victim == null || ring.capacity() > victim.capacity())) {
                    victim = ring;
                }
            }
            if (victim == null) {
                return;
            }
            spent.add(victim);
            victim.giveBack(excess + reclaimSlack, victim == appending ? 1 : 0);
        }
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

    /** The direct memory the streams' buffers take, in bytes. */
    @Override
    public long bytes() {
        return bytes.get();
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
        private final ByteArena arena = new ByteArena(ByteBufAllocator.DEFAULT, maxBytesPerStream, bytes::addAndGet);
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
            int n = json.readableBytes();
            while (count > 0 && arena.live() + n > maxBytesPerStream) {
                dropOldest(1);
            }
            if (!arena.fits(n) && bytes.get() + Math.max(arena.capacity(), n) > maxTotalBytes) {
                // The total is at its bound: recycle this stream's own oldest rather than grow.
                while (count > 0 && !arena.fits(n)) {
                    dropOldest(1);
                }
            }
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
            arena.shrink();
        }

        /** The direct memory of this stream's buffer. */
        synchronized int capacity() {
            return arena.capacity();
        }

        /**
         * Drops the oldest entries, keeping at least {@code keep}, until {@code wanted} bytes can be
         * given back, then compacts the buffer to what is kept.
         */
        synchronized void giveBack(long wanted, int keep) {
            if (cleared) {
                return;
            }
            long target = arena.capacity() - wanted;
            while (count > keep && arena.live() > target) {
                dropOldest(1);
            }
            arena.compact();
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
            if (n > 0) {
                dropOldest(n);
                arena.shrink();
            }
        }
    }

    private static long nanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
