package io.arqonbus.server.auth;

import io.netty.handler.codec.http.HttpRequest;

/**
 * Decides who a WebSocket handshake belongs to, before the upgrade. Implementations are
 * thread-safe and must not block (they run on an event loop).
 */
public interface Authenticator {

    /** Authenticates the upgrade request. */
    AuthResult authenticate(HttpRequest request);

    /** Verifies a token presented later on the connection (e.g. a refresh). */
    AuthResult verify(String token);

    /** Whether a token is required at all. */
    boolean enabled();

    /** The authenticator of a server without auth: everybody is {@link Principal#ANONYMOUS}. */
    static Authenticator none() {
        return NoAuthenticator.INSTANCE;
    }
}
