package io.arqonbus.server.internal.auth;

import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.CompletableFuture;

/**
 * Decides who a WebSocket handshake belongs to, before the upgrade. Implementations are
 * thread-safe and never block: the futures they return are already complete when the keys are
 * at hand, and complete later (on another thread) only when a key must be fetched first.
 */
public interface Authenticator extends AutoCloseable {

    /** Authenticates the upgrade request: finds its token ({@link TokenExtractor}) and verifies it. */
    default CompletableFuture<AuthResult> authenticate(HttpRequest request) {
        String token = TokenExtractor.extract(request);
        return token == null
                ? CompletableFuture.completedFuture(AuthResult.Rejected.missing())
                : verify(token);
    }

    /** Verifies a token presented at the handshake or later on the connection (a refresh). Never fails. */
    CompletableFuture<AuthResult> verify(String token);

    /** Whether a token is required at all. */
    boolean enabled();

    /** Stops background work (JWKS refreshes). Idempotent. */
    @Override
    default void close() {
    }

    /** The authenticator of a server without auth: everybody is {@link Principal#ANONYMOUS}. */
    static Authenticator none() {
        return NoAuthenticator.INSTANCE;
    }
}
