package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.StreamPosition;
import java.util.concurrent.CompletableFuture;

/**
 * What became of a publication.
 *
 * @param delivered the envelope as delivered (sender and, for channel publications, position
 *                  stamped); for a duplicate, the envelope as sent with its sender stamped
 * @param stored    completes with the publication's position once the store confirmed it, or fails
 *                  ({@link io.arqonbus.server.internal.history.StoreUnavailableException}) when it could not;
 *                  for a duplicate, the first publication's
 * @param duplicate whether an earlier publication with the same idempotency key stands for it (it
 *                  was not stored or delivered again)
 */
public record Publication(Envelope delivered, CompletableFuture<StreamPosition> stored, boolean duplicate) {
}
