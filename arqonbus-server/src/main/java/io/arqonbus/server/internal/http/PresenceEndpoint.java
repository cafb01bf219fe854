package io.arqonbus.server.internal.http;

import io.arqonbus.server.internal.presence.Presence;
import io.arqonbus.server.internal.presence.PresenceJson;
import io.arqonbus.server.internal.presence.PresenceException;
import io.arqonbus.server.internal.presence.Viewer;

import io.arqonbus.protocol.ErrorCode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * {@code GET /presence/{room}} and {@code GET /presence/{room}/{channel}}: the body of the
 * {@code presence} command's data. Served behind {@link HttpAuth}: with auth on, a token is
 * required exactly as at the WebSocket handshake, and a missing or invalid one gets the
 * handshake's 401. A caller not allowed to subscribe gets 403, an unknown room or channel 404.
 */
public final class PresenceEndpoint implements HttpAuth.CallerEndpoint {
    /** The path prefix this endpoint serves. */
    public static final String PREFIX = "/presence/";
    private static final Pattern NAME = Pattern.compile("[^\\s:/\\p{Cntrl}]{1,128}");

    private final Presence presence;

    public PresenceEndpoint(Presence presence) {
        this.presence = presence;
    }

    @Override
    public CompletionStage<HttpAnswer> handle(HttpCall call, HttpCaller caller) {
        String[] parts = call.path().substring(PREFIX.length()).split("/", -1);
        if (parts.length > 2 || !NAME.matcher(parts[0]).matches()
                || parts.length == 2 && !NAME.matcher(parts[1]).matches()) {
            return CompletableFuture.completedFuture(HttpAnswer.error(HttpResponseStatus.BAD_REQUEST,
                    "Expected /presence/{room} or /presence/{room}/{channel}; names are 1-128 printable "
                            + "characters without white space, ':' or '/'"));
        }
        String room = parts[0];
        String channel = parts.length == 2 ? parts[1] : null;
        try {
            return presence.of(room, channel, new Viewer(null, caller.principal(), caller.grants()))
                    .thenApply(snapshot -> HttpAnswer.json(HttpResponseStatus.OK, PresenceJson.of(snapshot)));
        } catch (PresenceException e) {
            HttpResponseStatus status = e.code() == ErrorCode.NOT_FOUND ? HttpResponseStatus.NOT_FOUND
                    : HttpResponseStatus.FORBIDDEN;
            return CompletableFuture.completedFuture(HttpAnswer.error(status, e.getMessage()));
        }
    }
}
