package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.internal.session.Session;
import java.time.Duration;

/**
 * A publication handed to a {@link Broker} that {@linkplain Broker#sequences sequences} it: the
 * broker gives it its place in the shared stream, stores it and sends it to every node, in one
 * step.
 *
 * <p>For a channel publication {@code json} is the envelope as delivered with the placeholder
 * position {@code "offset":0,"epoch":"<epoch known here>"}: bytes {@code [spliceFrom, spliceTo)} are
 * {@code 0,"epoch":"<epoch known here>"}, which the broker replaces with the real offset and the
 * stream's epoch. A room broadcast carries no position ({@code spliceFrom} is -1).
 *
 * @param envelope       the envelope as delivered, without a position: what local members get when
 *                       the publication cannot be sequenced and need not be stored
 * @param json           the JSON as described above
 * @param spliceFrom     where the placeholder position starts, or -1 for none
 * @param spliceTo       where it ends (exclusive), or -1
 * @param proposedEpoch  the epoch a stream the shared store does not hold takes (a fresh one)
 * @param sender         the local connection that published it (it does not receive it back), or {@code null}
 * @param idempotencyKey the publication's {@code metadata.idempotency_key}, or {@code null}
 * @param dedupWindow    how long the key is remembered
 * @param mustStore      whether it is delivered only when stored ({@code "ack":"durable"})
 */
public record UnpositionedPublication(Envelope envelope, byte[] json, int spliceFrom, int spliceTo,
        String proposedEpoch, Session sender, String idempotencyKey, Duration dedupWindow, boolean mustStore) {
}
