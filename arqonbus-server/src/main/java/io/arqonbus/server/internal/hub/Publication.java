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
 * @param known     whether it is known at once that an earlier publication with the same
 *                  idempotency key stands for it
 * @param repeated  completes, before {@code stored} does, with whether an earlier publication
 *                  stands for it (a cluster learns it from Redis); {@code null} when {@code known} says all
 */
public record Publication(Envelope delivered, CompletableFuture<StreamPosition> stored, boolean known,
        CompletableFuture<Boolean> repeated) {

    /** A publication whose duplicate status is known at once. */
    public Publication(Envelope delivered, CompletableFuture<StreamPosition> stored, boolean duplicate) {
        this(delivered, stored, duplicate, null);
    }

    /**
     * Whether an earlier publication with the same idempotency key stands for it (it was not
     * stored or delivered again); final once {@code stored} completed.
     */
    public boolean duplicate() {
        return known || repeated != null && repeated.getNow(false);
    }
}
