package io.arqonbus.server.internal.presence;

import java.time.Instant;
import java.util.List;

/**
 * Who was online in a room or a channel when {@link Presence} was asked.
 *
 * @param room    the room asked about
 * @param channel the channel asked about, or {@code null} for the whole room
 * @param clients the clients online that the viewer may see, sorted by client id
 */
public record PresenceSnapshot(String room, String channel, List<Client> clients) {
    public PresenceSnapshot {
        clients = List.copyOf(clients);
    }

    /**
     * One client online.
     *
     * @param clientId   its client id
     * @param clientType its declared client type, {@code unknown} when it declared none
     * @param screenName its declared screen name, or {@code null}
     * @param joinedAt   when it joined the channel (for a room: its earliest join among the room's channels)
     */
    public record Client(String clientId, String clientType, String screenName, Instant joinedAt) {
    }
}
