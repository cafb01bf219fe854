package io.arqonbus.server.auth;

/** The outcome of authenticating a handshake. */
public sealed interface AuthResult {

    /** The handshake may proceed as this principal. */
    record Accepted(Principal principal) implements AuthResult {
    }

    /**
     * The handshake is refused with HTTP 401.
     *
     * @param details the original's sentence: {@code Missing bearer token} or {@code Invalid token}
     */
    record Rejected(String details) implements AuthResult {
    }
}
