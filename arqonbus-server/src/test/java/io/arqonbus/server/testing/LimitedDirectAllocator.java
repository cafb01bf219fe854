package io.arqonbus.server.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * A pooled direct allocator with a limit of its own, so that one test can run a server out of
 * direct memory without starving the test JVM: a direct buffer that would take what its live
 * buffers hold past the limit is refused with the error the JDK throws when
 * {@code -XX:MaxDirectMemorySize} is reached. No limit until {@link #limit(long)} is called.
 * (Buffers growing in place are not checked; new buffers, which is how Netty's decoders and
 * reads get memory, are.)
 */
public final class LimitedDirectAllocator extends PooledByteBufAllocator {
    private volatile long limit = Long.MAX_VALUE;

    public LimitedDirectAllocator() {
        super(true);
    }

    /** From now on at most {@code bytes} of direct memory may be held by live buffers. */
    public void limit(long bytes) {
        limit = bytes;
    }

    /** Lifts the limit. */
    public void unlimited() {
        limit = Long.MAX_VALUE;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        long held = pinnedDirectMemory();
        long max = limit;
        if (held + initialCapacity > max) {
            throw new OutOfMemoryError("Cannot reserve " + initialCapacity + " bytes of direct buffer memory (allocated: "
                    + held + ", limit: " + max + ")");
        }
        return super.newDirectBuffer(initialCapacity, maxCapacity);
    }
}
