package io.arqonbus.server.internal.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * What a client told the server about itself (seed identification), immutable; a session swaps
 * the whole record when it changes so other threads always read a consistent value.
 *
 * @param clientType  human, ai-agent, dashboard, service, app…; {@code null} when not given
 * @param screenName  a display name or {@code null}
 * @param avatar      any JSON value or {@code null}
 * @param personality any JSON value or {@code null}
 * @param connectedAt when the connection was accepted
 */
public record ClientInfo(String clientType, String screenName, JsonNode avatar, JsonNode personality,
        Instant connectedAt) {

    /** The info of a client that has not identified itself. */
    public static ClientInfo anonymous(Instant connectedAt) {
        return new ClientInfo(null, null, null, null, connectedAt);
    }

    /** Whether this client is a system-like participant whose activity dashboards do not track. */
    public boolean isHumanOrDashboard() {
        return "human".equalsIgnoreCase(clientType) || "dashboard".equalsIgnoreCase(clientType);
    }

    /** The client type to report, {@code "unknown"} when not given. */
    public String typeOrUnknown() {
        return clientType == null ? "unknown" : clientType;
    }
}
