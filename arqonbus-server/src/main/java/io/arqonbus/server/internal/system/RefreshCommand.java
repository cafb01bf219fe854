package io.arqonbus.server.internal.system;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.config.ChannelPermissions;
import io.arqonbus.server.internal.auth.AuthResult;
import io.arqonbus.server.internal.auth.Authenticator;
import io.arqonbus.server.internal.auth.Grants;
import io.arqonbus.server.internal.auth.Principal;
import io.arqonbus.server.internal.command.AsyncCommand;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import io.arqonbus.server.internal.session.Session;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * {@code refresh {token}} (protocol §12): verifies a new token for the connection and moves its
 * expiry. The token must verify like a handshake token and carry the connection's {@code sub}
 * (and its {@code tenant_id}); then the connection acts with the new token's claims and is
 * closed with 4003 when that token expires. Data {@code {expires_at}}: ISO-8601, or {@code null}
 * for a token without {@code exp}. A refused refresh changes nothing, and the connection stays.
 */
final class RefreshCommand implements AsyncCommand {
    private static final CommandSpec SPEC = CommandSpec.of("refresh",
            "Replaces the connection's token with a new one for the same subject and moves its expiry");

    private final Authenticator authenticator;
    private final ChannelPermissions permissions;

    /** {@code permissions}: the role-based channel permissions, or {@code null} when there are none. */
    RefreshCommand(Authenticator authenticator, ChannelPermissions permissions) {
        this.authenticator = authenticator;
        this.permissions = permissions;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CompletableFuture<CommandResult> executeAsync(CommandContext context) throws CommandException {
        if (!authenticator.enabled()) {
            throw new CommandException(ErrorCode.FEATURE_DISABLED,
                    "Authentication is off: there is no token to refresh");
        }
        String token = context.requiredString("token");
        Session session = context.session();
        CompletableFuture<AuthResult> verified = authenticator.verify(token);
        Function<AuthResult, CommandResult> apply = result -> {
            try {
                return apply(context, session, result);
            } catch (CommandException e) {
                throw new CompletionException(e);
            }
        };
        // The session's principal and timer belong to its loop: apply there.
        return verified.isDone()
                ? verified.thenApply(apply)
                : verified.thenApplyAsync(apply, session.channel().eventLoop());
    }

    private CommandResult apply(CommandContext context, Session session, AuthResult result)
            throws CommandException {
        if (!(result instanceof AuthResult.Accepted accepted)) {
            throw new CommandException(ErrorCode.AUTHORIZATION_ERROR, "Token refresh refused: invalid token");
        }
        Principal current = session.principal();
        Principal next = accepted.principal();
        if (!Objects.equals(current.subject(), next.subject())) {
            throw new CommandException(ErrorCode.AUTHORIZATION_ERROR, "Token refresh refused: the token's subject "
                    + quote(next.subject()) + " is not this connection's " + quote(current.subject()));
        }
        if (!Objects.equals(current.tenantId(), next.tenantId())) {
            throw new CommandException(ErrorCode.AUTHORIZATION_ERROR, "Token refresh refused: the token's tenant "
                    + quote(next.tenantId()) + " is not this connection's " + quote(current.tenantId()));
        }
        session.principal(next);
        if (permissions != null) {
            // The role may differ in the new token: the grants follow it.
            session.grants(Grants.of(permissions, next));
        }
        if (session.tokenExpiry() != null) {
            session.tokenExpiry().watch(next.expiresAt());
        }
        ObjectNode data = context.object();
        if (next.expiresAt() == null) {
            data.putNull("expires_at");
        } else {
            data.put("expires_at", Timestamps.format(next.expiresAt()));
        }
        return new CommandResult("Token refreshed", data);
    }

    private static String quote(String value) {
        return value == null ? "(none)" : "'" + value + "'";
    }
}
