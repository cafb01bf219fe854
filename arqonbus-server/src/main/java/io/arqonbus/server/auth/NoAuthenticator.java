package io.arqonbus.server.auth;

import io.netty.handler.codec.http.HttpRequest;

/** Auth off: every handshake is accepted as {@link Principal#ANONYMOUS}. Stateless. */
final class NoAuthenticator implements Authenticator {
    static final NoAuthenticator INSTANCE = new NoAuthenticator();
    private static final AuthResult ACCEPTED = new AuthResult.Accepted(Principal.ANONYMOUS);

    private NoAuthenticator() {
    }

    @Override
    public AuthResult authenticate(HttpRequest request) {
        return ACCEPTED;
    }

    @Override
    public AuthResult verify(String token) {
        return ACCEPTED;
    }

    @Override
    public boolean enabled() {
        return false;
    }
}
