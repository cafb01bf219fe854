package io.arqonbus.client;

import io.arqonbus.protocol.StreamPosition;
import java.util.Objects;

/**
 * How a subscription buffers and where it starts.
 *
 * @param bufferCapacity publications held for a listener that has not taken them yet, &ge; 1
 *                       (default {@value #DEFAULT_BUFFER_CAPACITY})
 * @param overflow       what happens when the buffer is full (default {@link OverflowPolicy#DROP_OLDEST})
 * @param since          a position to recover from on the first join, or {@code null} to start live
 */
public record SubscriptionOptions(int bufferCapacity, OverflowPolicy overflow, StreamPosition since) {
    /** The default buffer capacity. */
    public static final int DEFAULT_BUFFER_CAPACITY = 1024;

    public SubscriptionOptions {
        if (bufferCapacity < 1) {
            throw new IllegalArgumentException("bufferCapacity: " + bufferCapacity + " (expected: >= 1)");
        }
        Objects.requireNonNull(overflow, "overflow");
    }

    /** The defaults. */
    public static SubscriptionOptions defaults() {
        return new SubscriptionOptions(DEFAULT_BUFFER_CAPACITY, OverflowPolicy.DROP_OLDEST, null);
    }

    /** With this buffer capacity. */
    public SubscriptionOptions bufferCapacity(int capacity) {
        return new SubscriptionOptions(capacity, overflow, since);
    }

    /** With this overflow policy. */
    public SubscriptionOptions overflow(OverflowPolicy policy) {
        return new SubscriptionOptions(bufferCapacity, policy, since);
    }

    /** Recovering from this position on the first join (a position saved by an earlier run). */
    public SubscriptionOptions since(StreamPosition position) {
        return new SubscriptionOptions(bufferCapacity, overflow, position);
    }
}
