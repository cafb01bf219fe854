package io.arqonbus.server.internal.http;

import io.arqonbus.server.internal.auth.AuthResult;
import io.arqonbus.server.internal.auth.Authenticator;
import io.arqonbus.server.config.ChannelPermissions;
import io.arqonbus.server.internal.auth.Grants;
import io.arqonbus.server.internal.auth.Principal;
import io.arqonbus.server.internal.auth.TokenExtractor;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The bearer-token check of HTTP endpoints that read bus data ({@code /events/*},
 * {@code /presence/*}). With auth on, the token is looked for where the bus port looks
 * ({@code Authorization: Bearer …}, else {@code ?token=}, {@code ?access_token=},
 * {@code ?auth_token=}) and verified by the server's {@link Authenticator}; a missing or invalid
 * token is answered exactly like a refused handshake: 401, {@code WWW-Authenticate: Bearer
 * realm="arqonbus"}, body {@code {"error":"Unauthorized","details":"Missing bearer token"|"Invalid
 * token"}}. With auth off every caller is {@link Principal#ANONYMOUS}. The endpoint gets the
 * caller's channel grants (from {@code --config} permissions, or everything when none are set).
 */
public final class HttpAuth {
    private final Authenticator authenticator;
    private final ChannelPermissions permissions;

    /**
     * @param authenticator the server's authenticator
     * @param permissions   the channel permissions, or {@code null} when none are configured
     */
    public HttpAuth(Authenticator authenticator, ChannelPermissions permissions) {
        this.authenticator = authenticator;
        this.permissions = permissions;
    }

    /** An endpoint that needs to know its caller. */
    @FunctionalInterface
    public interface CallerEndpoint {
        /** Answers a call whose caller was authenticated. */
        CompletionStage<HttpAnswer> handle(HttpCall call, HttpCaller caller);
    }

    /** {@code endpoint} behind the token check. */
    public HttpEndpoint require(CallerEndpoint endpoint) {
        return call -> {
            if (!authenticator.enabled()) {
                return endpoint.handle(call, caller(Principal.ANONYMOUS));
            }
            String token = TokenExtractor.extract(call.headers(), call.query());
            if (token == null) {
                return CompletableFuture.completedFuture(unauthorized(AuthResult.Rejected.MISSING));
            }
            return authenticator.verify(token).thenCompose(result -> result instanceof AuthResult.Accepted accepted
                    ? endpoint.handle(call, caller(accepted.principal()))
                    : CompletableFuture.completedFuture(unauthorized(((AuthResult.Rejected) result).details())));
        };
    }

    private HttpCaller caller(Principal principal) {
        return new HttpCaller(principal, permissions == null ? Grants.ALL : Grants.of(permissions, principal));
    }

    /** The 401 answer of a refused handshake, with this sentence. */
    public static HttpAnswer unauthorized(String details) {
        return HttpAnswer.error(HttpResponseStatus.UNAUTHORIZED, details)
                .withHeader("WWW-Authenticate", "Bearer realm=\"arqonbus\"");
    }
}
