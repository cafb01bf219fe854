package io.arqonbus.server.internal.omega;

import io.arqonbus.server.config.OmegaSettings;
import java.time.Instant;

/**
 * The lab's settings and counts, as {@code op.omega.status} shows them.
 *
 * @param settings       the lane's settings in force
 * @param substrateCount substrates registered now
 * @param eventCount     events held in the ring now
 * @param startedAt      when the lab started
 * @param emittedTotal   events emitted since the start
 * @param droppedTotal   events pushed out of the full ring since the start
 */
public record OmegaStatus(OmegaSettings settings, int substrateCount, int eventCount, Instant startedAt,
        long emittedTotal, long droppedTotal) {
    /** Where the lab keeps its state: {@value}. */
    public static final String BACKEND = "memory";
}
