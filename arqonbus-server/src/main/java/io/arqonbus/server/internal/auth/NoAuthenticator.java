package io.arqonbus.server.internal.auth;

import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.CompletableFuture;

/** Auth off: every handshake is accepted as {@link Principal#ANONYMOUS}. Stateless. */
final class NoAuthenticator implements Authenticator {
    static final NoAuthenticator INSTANCE = new NoAuthenticator();
    private static final AuthResult ACCEPTED = new AuthResult.Accepted(Principal.ANONYMOUS);

    private NoAuthenticator() {
    }

    @Override
    public CompletableFuture<AuthResult> authenticate(HttpRequest request) {
        return CompletableFuture.completedFuture(ACCEPTED);
    }

    @Override
    public CompletableFuture<AuthResult> verify(String token) {
        return CompletableFuture.completedFuture(ACCEPTED);
    }

    @Override
    public boolean enabled() {
        return false;
    }
}
