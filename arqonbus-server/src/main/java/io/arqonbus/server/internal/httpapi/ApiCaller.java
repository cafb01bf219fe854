package io.arqonbus.server.internal.httpapi;

import io.arqonbus.server.config.ApiScope;
import io.arqonbus.server.internal.auth.Principal;

/**
 * Who made an API call: an API key, an admin token, or (no keys, auth off) the anonymous caller.
 *
 * @param name      the key's name, the token's subject, or {@code anonymous}
 * @param scope     what it may do
 * @param tenant    the tenant it is confined to, or {@code null}
 * @param principal the principal it acts as (presence and tenant rules read it)
 */
public record ApiCaller(String name, ApiScope scope, String tenant, Principal principal) {
    /** The prefix of the sender id of what the API publishes: {@code http:<name>}. */
    public static final String SENDER_PREFIX = "http:";

    /** The sender id stamped on what this caller publishes or sends. */
    public String senderId() {
        return SENDER_PREFIX + name;
    }

    /**
     * Whether the caller may reach {@code room}: every room without a tenant; with tenant {@code T}, the room
     * {@code T} and the rooms starting with {@code T-}.
     */
    public boolean reaches(String room) {
        return tenant == null || room.equals(tenant) || room.startsWith(tenant + "-");
    }

    /** Refuses a room the caller may not reach. */
    public void checkReaches(String room) throws ApiException {
        if (!reaches(room)) {
            throw ApiException.forbidden("Room '" + room + "' belongs to another tenant: a key of tenant '" + tenant
                    + "' reaches the room '" + tenant + "' and the rooms starting with '" + tenant + "-'");
        }
    }

    /** Whether the caller may see a client of this principal: same tenant, or no tenant confinement. */
    public boolean sees(Principal client) {
        return tenant == null || tenant.equals(client.tenantId());
    }
}
