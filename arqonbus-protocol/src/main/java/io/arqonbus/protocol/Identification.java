package io.arqonbus.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The seed (v0) identification frame: a JSON object without {@code type} that names the client
 * and, optionally, the {@code room:channel} it starts in.
 *
 * @param clientId    the id the client asks for, or {@code null}
 * @param clientType  human, ai-agent, dashboard, service, app…; or {@code null}
 * @param room        the initial room, or {@code null}
 * @param channel     the initial channel, or {@code null}
 * @param screenName  a display name, or {@code null}
 * @param avatar      any JSON value, or {@code null}
 * @param personality any JSON value, or {@code null}
 */
public record Identification(
        String clientId,
        String clientType,
        String room,
        String channel,
        String screenName,
        JsonNode avatar,
        JsonNode personality) {

    /** Sender names the server stamps on its own frames; no client may take them (any case). */
    public static final java.util.Set<String> RESERVED_CLIENT_IDS = java.util.Set.of("arqonbus", "op-cron", "op-omega");

    /** Whether a client id is reserved for the server, compared case-insensitively. */
    public static boolean isReserved(String clientId) {
        return RESERVED_CLIENT_IDS.contains(clientId.toLowerCase(java.util.Locale.ROOT));
    }
}
