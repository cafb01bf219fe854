package io.arqonbus.server.internal.auth;

import java.time.Instant;
import java.util.Locale;

/**
 * Who a connection acts as, from its token's claims.
 *
 * @param subject   the {@code sub} claim, or {@code null}
 * @param role      the {@code role} claim ({@code "user"} when the token has none), or {@code null} without auth
 * @param tenantId  the {@code tenant_id} claim, or {@code null}
 * @param expiresAt the token's {@code exp}, or {@code null}
 */
public record Principal(String subject, String role, String tenantId, Instant expiresAt) {
    /** The principal of every connection when auth is off. */
    public static final Principal ANONYMOUS = new Principal(null, null, null, null);

    /** Admin is the role {@code admin}, case-insensitive; nobody is admin without auth. */
    public boolean isAdmin() {
        return role != null && role.toLowerCase(Locale.ROOT).equals("admin");
    }

    /** Whether a token authenticated this principal. */
    public boolean isAuthenticated() {
        return this != ANONYMOUS && (subject != null || role != null);
    }
}
