package io.arqonbus.protocol;

import java.util.List;

/** What one text frame from a client decodes to. */
public sealed interface Inbound {

    /** A valid envelope, defaults filled. */
    record Message(Envelope envelope) implements Inbound {
    }

    /** A seed identification frame. */
    record Identify(Identification identification) implements Inbound {
    }

    /**
     * A frame the server refuses.
     *
     * @param code      the error code
     * @param error     a human sentence
     * @param errors    each problem found, one sentence each
     * @param requestId the frame's {@code id} when it could be read, else {@code null}
     */
    record Invalid(ErrorCode code, String error, List<String> errors, String requestId) implements Inbound {
        public Invalid {
            errors = List.copyOf(errors);
        }
    }
}
