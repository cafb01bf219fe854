package io.arqonbus.server.internal.history;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.function.LongConsumer;

/**
 * A first-in, first-out store of byte runs in one direct buffer used as a circle: runs are
 * appended at the end and given back from the oldest. Positions are logical (they only grow); a
 * run may wrap around the buffer's end. The buffer doubles when a run does not fit (up to the
 * arena's bound, or the run's size if larger), shrinks when what it holds falls to a quarter of it
 * ({@link #shrink()}), and is freed by {@link #release()}. Every change of its size is reported to a
 * {@link LongConsumer} (the store's total). Not thread-safe (its ring's monitor guards it).
 *
 * <p>One buffer per stream instead of one retained slice per message: a history of a million
 * messages is then a hundred buffers for the garbage collector, not a million objects that each
 * young collection copies until they are promoted (docs/benchmarks.md).
 */
final class ByteArena {
    private static final int INITIAL_CAPACITY = 16 * 1024;
    /** The largest buffer: 1 GiB per stream. */
    private static final int MAX_CAPACITY = 1 << 30;

    private final ByteBufAllocator allocator;
    private final long bound;
    private final LongConsumer resized;
    private ByteBuf buffer;
    private long oldest;
    private long end;

    /**
     * @param bound   the largest buffer it grows to by doubling (a larger run still gets a buffer of its size)
     * @param resized told the change in bytes each time the buffer is allocated, resized or freed
     */
    ByteArena(ByteBufAllocator allocator, long bound, LongConsumer resized) {
        this.allocator = allocator;
        this.bound = Math.min(bound, MAX_CAPACITY);
        this.resized = resized;
    }

    /**
     * Copies {@code source}'s readable bytes to the end (its indices unchanged).
     *
     * @return the logical position of the run's first byte
     * @throws IllegalStateException when the stream would need more than 1 GiB
     */
    long append(ByteBuf source) {
        int n = source.readableBytes();
        ensure(n);
        int capacity = buffer.capacity();
        int at = (int) (end % capacity);
        int first = Math.min(n, capacity - at);
        buffer.setBytes(at, source, source.readerIndex(), first);
        if (first < n) {
            buffer.setBytes(0, source, source.readerIndex() + first, n - first);
        }
        long start = end;
        end += n;
        return start;
    }

    /** A copy of the run of {@code length} bytes at {@code start}. */
    byte[] copy(long start, int length) {
        byte[] out = new byte[length];
        int capacity = buffer.capacity();
        int at = (int) (start % capacity);
        int first = Math.min(length, capacity - at);
        buffer.getBytes(at, out, 0, first);
        if (first < length) {
            buffer.getBytes(0, out, first, length - first);
        }
        return out;
    }

    /** Gives back everything before {@code position} (the start of the oldest run kept, or the end). */
    void dropTo(long position) {
        oldest = position;
    }

    /** The bytes of the runs kept. */
    long live() {
        return end - oldest;
    }

    /** Whether a run of {@code n} bytes fits without a larger buffer. */
    boolean fits(int n) {
        return buffer != null && live() + n <= buffer.capacity();
    }

    /**
     * Gives memory back: frees the buffer when it holds nothing, or moves what it holds to a buffer of
     * half its size or less when it holds a quarter or less of it.
     *
     * @return the bytes given back
     */
    long shrink() {
        if (buffer == null) {
            return 0;
        }
        int before = buffer.capacity();
        if (live() == 0) {
            release();
            return before;
        }
        if (before <= INITIAL_CAPACITY || live() > before / 4) {
            return 0;
        }
        moveTo((int) Math.max(INITIAL_CAPACITY, live() * 2));
        return before - buffer.capacity();
    }

    /**
     * Gives back all the memory it can: frees the buffer when it holds nothing, else moves what it
     * holds to a buffer just large enough (at least the initial size) when that is smaller.
     *
     * @return the bytes given back
     */
    long compact() {
        if (buffer == null) {
            return 0;
        }
        int before = buffer.capacity();
        if (live() == 0) {
            release();
            return before;
        }
        int target = (int) Math.max(INITIAL_CAPACITY, live());
        if (target >= before) {
            return 0;
        }
        moveTo(target);
        return before - target;
    }

    /** The logical end: where the next run starts. */
    long end() {
        return end;
    }

    /** The buffer's size in bytes (0 before the first run). */
    int capacity() {
        return buffer == null ? 0 : buffer.capacity();
    }

    /** Frees the buffer; the arena may be used again afterwards (it starts empty). */
    void release() {
        if (buffer != null) {
            int capacity = buffer.capacity();
            buffer.release();
            buffer = null;
            resized.accept(-capacity);
        }
        oldest = end;
    }

    private void ensure(int n) {
        long need = end - oldest + n;
        if (buffer != null && need <= buffer.capacity()) {
            return;
        }
        if (need > MAX_CAPACITY) {
            throw new IllegalStateException("a history stream may hold at most " + MAX_CAPACITY + " bytes");
        }
        long capacity = buffer == null ? Math.min(INITIAL_CAPACITY, Math.max(bound, 1)) : buffer.capacity();
        while (capacity < need) {
            capacity *= 2;
        }
        moveTo((int) Math.min(capacity, Math.max(bound, need)));
    }

    /** Moves the runs kept to a new buffer of {@code capacity} bytes (at least {@link #live()}). */
    private void moveTo(int capacity) {
        ByteBuf next = allocator.directBuffer(capacity, capacity);
        int before = 0;
        if (buffer != null) {
            before = buffer.capacity();
            int from = before;
            for (long at = oldest; at < end; ) {
                int source = (int) (at % from);
                int target = (int) (at % capacity);
                int length = (int) Math.min(end - at, Math.min(from - source, capacity - target));
                next.setBytes(target, buffer, source, length);
                at += length;
            }
            buffer.release();
        }
        buffer = next;
        resized.accept(capacity - before);
    }
}
