package io.arqonbus.server.internal.auth;

import java.util.Map;

/** The outcome of authenticating a handshake or verifying a token. */
public sealed interface AuthResult {

    /**
     * The handshake may proceed as this principal.
     *
     * @param principal who the token names
     * @param claims    the token's claims as JSON values (dates as epoch seconds); empty without auth
     */
    record Accepted(Principal principal, Map<String, Object> claims) implements AuthResult {
        public Accepted {
            claims = claims == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(claims));
        }

        public Accepted(Principal principal) {
            this(principal, Map.of());
        }
    }

    /**
     * The handshake is refused with HTTP 401.
     *
     * @param details the original's sentence for the wire: {@code Missing bearer token} or {@code Invalid token}
     * @param reason  why, for logs and {@code arqon check-token} only (never sent to the client)
     */
    record Rejected(String details, String reason) implements AuthResult {
        /** The wire sentence when the request carries no token. */
        public static final String MISSING = "Missing bearer token";
        /** The wire sentence for every token that does not verify. */
        public static final String INVALID = "Invalid token";

        /** No token at all. */
        public static Rejected missing() {
            return new Rejected(MISSING, "no token in the Authorization header or the token query parameters");
        }

        /** A token that does not verify, for this reason. */
        public static Rejected invalid(String reason) {
            return new Rejected(INVALID, reason);
        }
    }
}
