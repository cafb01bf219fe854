package io.arqonbus.server.internal.omega;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * An event a substrate emitted, as the lab holds it in its ring.
 *
 * @param eventId       its id, {@code evt_<12 hex>}
 * @param substrateId   the substrate that emitted it
 * @param substrateName that substrate's name when it emitted
 * @param kind          that substrate's kind
 * @param signal        the signal's name, free text
 * @param payload       the payload it was emitted with (empty when none was given)
 * @param emittedBy     the client id that emitted it
 * @param createdAt     when it was emitted
 */
public record OmegaEvent(String eventId, String substrateId, String substrateName, String kind, String signal,
        ObjectNode payload, String emittedBy, Instant createdAt) {

    /** This event with a copy of its payload, for handing out. */
    OmegaEvent copy() {
        return new OmegaEvent(eventId, substrateId, substrateName, kind, signal, payload.deepCopy(), emittedBy,
                createdAt);
    }
}
