package io.arqonbus.server.internal.omega;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A registered substrate of the omega lab, as the lab shows it.
 *
 * @param substrateId its id, {@code substrate_<12 hex>}
 * @param name        its name, unique in the lab
 * @param kind        its kind, free text
 * @param metadata    the metadata it was registered with (a copy; empty when none was given)
 * @param createdAt   when it was registered
 * @param createdBy   the client id that registered it
 * @param eventCount  how many events it emitted since it was registered
 */
public record OmegaSubstrate(String substrateId, String name, String kind, ObjectNode metadata, Instant createdAt,
        String createdBy, long eventCount) {

    /** This substrate with another event count and a copy of its metadata. */
    OmegaSubstrate withEventCount(long count) {
        return new OmegaSubstrate(substrateId, name, kind, metadata.deepCopy(), createdAt, createdBy, count);
    }
}
