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
}
