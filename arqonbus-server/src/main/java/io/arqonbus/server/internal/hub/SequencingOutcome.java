package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.StreamPosition;

/**
 * What a sequencing {@link Broker} did with a publication.
 *
 * @param position  its place in the stream; for a duplicate, the first publication's
 * @param duplicate whether an earlier publication with the same idempotency key stands for it
 *                  (it was neither stored nor sent again)
 */
public record SequencingOutcome(StreamPosition position, boolean duplicate) {
}
