package io.arqonbus.server.internal.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Supplier;

/**
 * The answer to one {@link HistoryQuery} gathered from several streams: at most
 * {@code query.limit()} entries, those closest to the end the query's window keeps (the newest for
 * {@link HistoryQuery.Window#LATEST}, the oldest for {@link HistoryQuery.Window#EARLIEST}), in
 * store order (store time, then stream name, then offset) and handed back in the query's order.
 *
 * <p>Kept in a heap bounded by the limit, so no stream is sorted whole. A store that walks each
 * stream from the kept end (its entries are in store order) offers them one by one with
 * {@link #offer} and stops the walk at the first {@code false}. Not thread-safe: one per query.
 *
 * @param <T> what the store keeps of an entry until the result is read
 */
final class BoundedMerge<T> {
    /** Store order: store time, then stream name, then place in the stream. */
    private static final Comparator<Kept<?>> STORE_ORDER = Comparator
            .comparing((Kept<?> k) -> k.storedAt())
            .thenComparing(Kept::stream)
            .thenComparingLong(Kept::offset);

    private final HistoryQuery query;
    private final boolean latest;
    /** The head is the entry that leaves first when the heap is over the limit. */
    private final PriorityQueue<Kept<T>> heap;

    BoundedMerge(HistoryQuery query) {
        this.query = query;
        this.latest = query.window() == HistoryQuery.Window.LATEST;
        this.heap = new PriorityQueue<>(latest ? STORE_ORDER : STORE_ORDER.reversed());
    }

    /**
     * Offers the next entry of a stream walked from the end the window keeps: an entry past the
     * query's range on that end is passed over, one past the range on the other end ends the walk,
     * one in range is {@link #keep kept} when it is closer to the kept end than what is held.
     *
     * @param value asked for only when the entry is kept
     * @return whether the walk may go on: {@code false} once no further entry of this stream can be
     *         kept
     */
    boolean offer(Instant storedAt, String stream, long offset, Supplier<? extends T> value) {
        if (latest ? query.until() != null && !storedAt.isBefore(query.until())
                : query.since() != null && storedAt.isBefore(query.since())) {
            return true;
        }
        if (!query.inRange(storedAt)) {
            return false;
        }
        return keep(storedAt, stream, offset, value);
    }

    /**
     * Keeps an entry (already known to be in the query's range) when fewer than the limit are held
     * or it is closer to the kept end than the farthest one held, which then leaves.
     *
     * @param value asked for only when the entry is kept
     * @return whether it was kept
     */
    boolean keep(Instant storedAt, String stream, long offset, Supplier<? extends T> value) {
        if (query.limit() == 0) {
            return false;
        }
        if (heap.size() >= query.limit()) {
            if (!closerToKeptEnd(storedAt, stream, offset, heap.peek())) {
                return false;
            }
            heap.poll();
        }
        heap.add(new Kept<>(storedAt, stream, offset, value.get()));
        return true;
    }

    /** What was kept, newest first when the query asks so, else oldest first. */
    List<T> result() {
        List<Kept<T>> picked = new ArrayList<>(heap);
        picked.sort(query.newestFirst() ? STORE_ORDER.reversed() : STORE_ORDER);
        List<T> out = new ArrayList<>(picked.size());
        for (Kept<T> k : picked) {
            out.add(k.value());
        }
        return out;
    }

    private boolean closerToKeptEnd(Instant storedAt, String stream, long offset, Kept<T> farthest) {
        int c = storedAt.compareTo(farthest.storedAt());
        if (c == 0) {
            c = stream.compareTo(farthest.stream());
        }
        if (c == 0) {
            c = Long.compare(offset, farthest.offset());
        }
        return latest ? c > 0 : c < 0;
    }

    private record Kept<T>(Instant storedAt, String stream, long offset, T value) {
    }
}
