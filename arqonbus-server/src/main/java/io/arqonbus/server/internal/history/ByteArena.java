package io.arqonbus.server.internal.history;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A first-in, first-out store of byte runs in one direct buffer used as a circle: runs are
 * appended at the end and given back from the oldest. Positions are logical (they only grow); a
 * run may wrap around the buffer's end. The buffer doubles when a run does not fit and never
 * shrinks; it is freed by {@link #release()}. Not thread-safe (its ring's monitor guards it).
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
    private ByteBuf buffer;
    private long oldest;
    private long end;

    ByteArena(ByteBufAllocator allocator) {
        this.allocator = allocator;
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
            buffer.release();
            buffer = null;
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
        int capacity = buffer == null ? INITIAL_CAPACITY : buffer.capacity();
        while (capacity < need) {
            capacity *= 2;
        }
        ByteBuf next = allocator.directBuffer(capacity, capacity);
        if (buffer != null) {
            int from = buffer.capacity();
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
    }
}
