package io.arqonbus.server.internal.inspect;

import io.arqonbus.server.casil.CasilPolicy;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.ErrorCode;

/**
 * The outcome of inspecting one envelope.
 *
 * @param decision       what to do
 * @param envelope       the envelope to route instead of the original (redacted, or carrying
 *                       {@code metadata.casil}); {@code null} to route the original unchanged
 * @param blockCode      for {@link InspectionDecision#BLOCK}: the error frame's code
 * @param reason         for a block: {@code payload.reason} of the error frame ({@code contains_probable_secret},
 *                       {@code oversize_payload}, {@code inspection_failed})
 * @param reasonCode     the CASIL reason code ({@code CASIL_POLICY_ALLOWED}, {@code CASIL_POLICY_REDACTED},
 *                       {@code CASIL_POLICY_BLOCKED_SECRET}, {@code CASIL_POLICY_OVERSIZE},
 *                       {@code CASIL_MONITOR_MODE}, {@code CASIL_INTERNAL_ERROR}); {@code null} when not inspected
 * @param classification what was found; {@code null} when not inspected
 * @param wouldBlock     in monitor mode, the code enforce mode would have blocked with, else {@code null}
 * @param policy         the policy that decided; {@code null} when not inspected
 * @param failure        why the inspection failed, else {@code null}
 */
public record Inspection(InspectionDecision decision, Envelope envelope, ErrorCode blockCode, String reason,
        String reasonCode, Classification classification, ErrorCode wouldBlock, CasilPolicy policy,
        String failure) {

    /** Not inspected (disabled, out of scope, or a type CASIL does not look at): route unchanged. */
    public static final Inspection PASS = new Inspection(InspectionDecision.ALLOW, null, null, null, null, null,
            null, null, null);

    /** Whether the envelope must not be routed. */
    public boolean blocked() {
        return decision == InspectionDecision.BLOCK;
    }

    /** Whether the envelope was inspected at all. */
    public boolean inspected() {
        return policy != null;
    }

    /** For a block: the error frame's sentence. */
    public String sentence() {
        if (blockCode == ErrorCode.CASIL_POLICY_OVERSIZE) {
            return "Blocked by content inspection: the payload is larger than the policy's max_payload_bytes ("
                    + policy.maxPayloadBytes() + " bytes)";
        }
        if (blockCode == ErrorCode.CASIL_POLICY_BLOCKED_SECRET) {
            return "Blocked by content inspection: the payload contains a probable secret";
        }
        return "Blocked by content inspection: the inspection failed and the policy's default decision is block";
    }

    /** The envelope to route: the inspected copy, or the original. */
    public Envelope envelopeOr(Envelope original) {
        return envelope != null ? envelope : original;
    }
}
