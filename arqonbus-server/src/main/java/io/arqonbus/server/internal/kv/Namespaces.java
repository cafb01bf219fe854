package io.arqonbus.server.internal.kv;

import io.arqonbus.server.internal.auth.Principal;

/**
 * Which key-value namespaces a connection may use (tenant confinement), and its default one.
 *
 * <ul>
 *   <li>A connection whose token carries {@code tenant_id} T defaults to {@code tenant:T} and may
 *       use {@code tenant:T} and any namespace below it, {@code tenant:T:<anything>}. Any other name
 *       it gives is relative to its tenant ({@link #resolve}): {@code x} is stored as
 *       {@code tenant:T:x}, so the original SDK's own namespace names work and never meet another
 *       tenant's; only names of another tenant's namespaces ({@code tenant:U…}) are refused.
 *   <li>An authenticated connection without a tenant defaults to {@code default} and may use every
 *       namespace that does not start with {@code tenant:} (those belong to tenants).
 *   <li>Admins (role {@code admin}) and every connection while auth is off may use any namespace
 *       but the server's own.
 *   <li>Namespaces starting with {@code arqonbus:} are the server's (durable cron jobs live in
 *       {@code arqonbus:cron}): no connection may use them.
 * </ul>
 */
public final class Namespaces {
    /** The namespace of connections without a tenant. */
    public static final String DEFAULT = "default";
    /** The prefix of tenant namespaces. */
    public static final String TENANT_PREFIX = "tenant:";
    /** The prefix of the server's own namespaces, closed to every connection. */
    public static final String RESERVED_PREFIX = "arqonbus:";

    private Namespaces() {
    }

    /** The namespace used when a request names none. */
    public static String defaultFor(Principal principal) {
        String tenant = principal.tenantId();
        return tenant == null || tenant.isEmpty() ? DEFAULT : TENANT_PREFIX + tenant;
    }

    /**
     * Where a namespace named by {@code principal} is stored, or {@code null} when it may not use it:
     * the name itself for admins, connections without a tenant and a tenant's absolute names
     * ({@code tenant:T}, {@code tenant:T:…}); {@code tenant:T:<name>} for any other name a
     * connection of tenant T gives (names of other tenants' namespaces are refused, never
     * rewritten, so a mistake is visible).
     */
    public static String resolve(Principal principal, String namespace) {
        if (allows(principal, namespace)) {
            return namespace;
        }
        String tenant = principal.tenantId();
        if (isReserved(namespace) || tenant == null || tenant.isEmpty() || namespace.startsWith(TENANT_PREFIX)) {
            return null;
        }
        return TENANT_PREFIX + tenant + ":" + namespace;
    }

    /** Whether {@code principal} may read and write {@code namespace} as it is named. */
    public static boolean allows(Principal principal, String namespace) {
        if (isReserved(namespace)) {
            return false;
        }
        if (!principal.isAuthenticated() || principal.isAdmin()) {
            return true;
        }
        String tenant = principal.tenantId();
        if (tenant == null || tenant.isEmpty()) {
            return !namespace.startsWith(TENANT_PREFIX);
        }
        String own = TENANT_PREFIX + tenant;
        return namespace.equals(own) || namespace.startsWith(own + ":");
    }

    /** Whether the namespace is the server's own. */
    public static boolean isReserved(String namespace) {
        return namespace.startsWith(RESERVED_PREFIX);
    }
}
