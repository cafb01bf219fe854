package io.arqonbus.protocol;

/**
 * A publication's place in its channel's stream (protocol §12): {@code offset} grows by one per
 * publication in the channel; {@code epoch} changes when the stream is reset or lost.
 */
public record StreamPosition(long offset, String epoch) {
    public StreamPosition {
        if (offset < 0) {
            throw new IllegalArgumentException("offset: " + offset + " (expected: >= 0)");
        }
        java.util.Objects.requireNonNull(epoch, "epoch");
    }
}
