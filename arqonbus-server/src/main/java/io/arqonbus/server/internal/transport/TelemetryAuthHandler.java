package io.arqonbus.server.internal.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.arqonbus.server.config.ApiKey;
import io.arqonbus.server.config.ApiScope;
import io.arqonbus.server.internal.auth.AuthResult;
import io.arqonbus.server.internal.auth.Authenticator;
import io.arqonbus.server.internal.auth.TokenExtractor;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;

/**
 * The telemetry port's optional credential check ({@code ARQONBUS_TELEMETRY_AUTH}, docs/security.md):
 * before the upgrade, the request must carry an admin credential where the bus port looks for a token
 * ({@code Authorization: Bearer …}, else the query parameter {@code token}, {@code access_token} or
 * {@code auth_token}, as browsers cannot set headers on a WebSocket): an HTTP API key of scope
 * {@code admin} without a tenant (compared in constant time), or a JWT whose role is admin. Otherwise
 * {@code 401} (none, or not valid) or {@code 403} (valid, not admin) with a JSON error, and the
 * connection is closed. Passes the request on and leaves the pipeline once it is accepted.
 */
final class TelemetryAuthHandler extends ChannelInboundHandlerAdapter {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Authenticator authenticator;
    private final List<ApiKey> keys;

    TelemetryAuthHandler(Authenticator authenticator, List<ApiKey> keys) {
        this.authenticator = authenticator;
        this.keys = List.copyOf(keys);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String token = TokenExtractor.extract(request);
        if (token == null) {
            refuse(ctx, request, HttpResponseStatus.UNAUTHORIZED, "The telemetry port needs an admin credential "
                    + "(ARQONBUS_TELEMETRY_AUTH is on): send 'Authorization: Bearer <admin token or API key>' or "
                    + "connect to ?token=<admin token or API key>");
            return;
        }
        ApiKey key = find(token);
        if (key != null) {
            if (key.scope() == ApiScope.ADMIN && key.tenant() == null) {
                accept(ctx, request);
            } else {
                refuse(ctx, request, HttpResponseStatus.FORBIDDEN, "API key '" + key.name() + "' has scope "
                        + key.scope().wireName() + (key.tenant() == null ? "" : " for tenant " + key.tenant())
                        + "; telemetry spans every tenant and needs an admin key without a tenant");
            }
            return;
        }
        if (!authenticator.enabled()) {
            refuse(ctx, request, HttpResponseStatus.UNAUTHORIZED, "Invalid credential: no such API key");
            return;
        }
        authenticator.verify(token).whenComplete((result, error) -> ctx.executor().execute(() -> {
            if (error == null && result instanceof AuthResult.Accepted accepted && accepted.principal().isAdmin()) {
                accept(ctx, request);
            } else if (error == null && result instanceof AuthResult.Accepted accepted) {
                refuse(ctx, request, HttpResponseStatus.FORBIDDEN, "The telemetry port needs an admin token; this "
                        + "token's role is '" + accepted.principal().role() + "'");
            } else {
                refuse(ctx, request, HttpResponseStatus.UNAUTHORIZED,
                        "Invalid credential: neither an API key nor a valid token");
            }
        }));
    }

    private ApiKey find(String credential) {
        byte[] digest = ApiKey.digestOf(credential);
        ApiKey found = null;
        for (ApiKey key : keys) {
            if (key.matches(digest) && found == null) {
                found = key;
            }
        }
        return found;
    }

    private void accept(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!ctx.channel().isActive()) {
            request.release();
            return;
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(request);
    }

    private static void refuse(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
            String details) {
        request.release();
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("error", status.reasonPhrase(), "details", details));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON error", e);
        }
        HttpResponses.sendAndClose(ctx, HttpResponses.json(status, body));
    }
}
