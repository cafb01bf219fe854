package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.StreamPosition;

/**
 * What a sequencing {@link Broker} did with a publication.
 *
 * @param position  its place in the stream; for a duplicate, the first publication's
 * @param duplicate whether an earlier publication with the same idempotency key stands for it
 *                  (it was neither stored nor sent again)
 * @param heard     whether the broker delivers it back to this node's handler of the stream;
 *                  {@code false} when this node is not subscribed to the stream (it has no
 *                  members there): the hub then tells the listeners of accepted publications itself
 */
public record SequencingOutcome(StreamPosition position, boolean duplicate, boolean heard) {

    /** An outcome the broker delivers back to this node. */
    public SequencingOutcome(StreamPosition position, boolean duplicate) {
        this(position, duplicate, true);
    }
}
