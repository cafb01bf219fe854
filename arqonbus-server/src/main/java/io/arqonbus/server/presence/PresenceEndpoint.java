package io.arqonbus.server.presence;

import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.auth.AuthResult;
import io.arqonbus.server.auth.Authenticator;
import io.arqonbus.server.auth.ChannelPermissions;
import io.arqonbus.server.auth.Grants;
import io.arqonbus.server.auth.Principal;
import io.arqonbus.server.auth.TokenExtractor;
import io.arqonbus.server.http.HttpAnswer;
import io.arqonbus.server.http.HttpCall;
import io.arqonbus.server.http.HttpEndpoint;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * {@code GET /presence/{room}} and {@code GET /presence/{room}/{channel}}: the body of the
 * {@code presence} command's data. With auth on, a token is required exactly as at the WebSocket
 * handshake (header {@code Authorization: Bearer …} or query {@code token}/{@code access_token}/
 * {@code auth_token}); without one, or with one that does not verify, the answer is the handshake's
 * 401. A caller not allowed to subscribe gets 403, an unknown room or channel 404.
 */
public final class PresenceEndpoint implements HttpEndpoint {
    /** The path prefix this endpoint serves. */
    public static final String PREFIX = "/presence/";
    private static final Pattern NAME = Pattern.compile("[^\\s:/\\p{Cntrl}]{1,128}");

    private final Presence presence;
    private final Authenticator authenticator;
    private final ChannelPermissions permissions;

    /** @param permissions the configured channel permissions, or {@code null}: everything allowed */
    public PresenceEndpoint(Presence presence, Authenticator authenticator, ChannelPermissions permissions) {
        this.presence = presence;
        this.authenticator = authenticator;
        this.permissions = permissions;
    }

    @Override
    public CompletionStage<HttpAnswer> handle(HttpCall call) {
        String[] parts = call.path().substring(PREFIX.length()).split("/", -1);
        if (parts.length > 2 || !NAME.matcher(parts[0]).matches()
                || parts.length == 2 && !NAME.matcher(parts[1]).matches()) {
            return CompletableFuture.completedFuture(HttpAnswer.error(HttpResponseStatus.BAD_REQUEST,
                    "Expected /presence/{room} or /presence/{room}/{channel}; names are 1-128 printable "
                            + "characters without white space, ':' or '/'"));
        }
        String room = parts[0];
        String channel = parts.length == 2 ? parts[1] : null;
        if (!authenticator.enabled()) {
            return CompletableFuture.completedFuture(answer(room, channel, Principal.ANONYMOUS));
        }
        String token = TokenExtractor.extract(call.headers().get(HttpHeaderNames.AUTHORIZATION), call.query());
        if (token == null) {
            return CompletableFuture.completedFuture(unauthorized(AuthResult.Rejected.missing()));
        }
        return authenticator.verify(token).thenApply(result -> switch (result) {
            case AuthResult.Accepted accepted -> answer(room, channel, accepted.principal());
            case AuthResult.Rejected rejected -> unauthorized(rejected);
        });
    }

    private HttpAnswer answer(String room, String channel, Principal principal) {
        Grants grants = permissions == null ? Grants.ALL : permissions.grantsFor(principal);
        try {
            return HttpAnswer.json(HttpResponseStatus.OK, presence.of(room, channel, new Viewer(null, principal, grants)));
        } catch (PresenceException e) {
            HttpResponseStatus status = e.code() == ErrorCode.NOT_FOUND ? HttpResponseStatus.NOT_FOUND
                    : HttpResponseStatus.FORBIDDEN;
            return HttpAnswer.error(status, e.getMessage());
        }
    }

    private static HttpAnswer unauthorized(AuthResult.Rejected rejected) {
        return HttpAnswer.error(HttpResponseStatus.UNAUTHORIZED, rejected.details())
                .withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), "Bearer realm=\"arqonbus\"");
    }
}
