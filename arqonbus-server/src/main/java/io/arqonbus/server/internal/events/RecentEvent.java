package io.arqonbus.server.internal.events;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.internal.auth.Grants;
import io.arqonbus.server.internal.auth.Principal;
import io.arqonbus.server.internal.channel.ChannelKey;
import java.util.Objects;

/**
 * One publication kept by {@link RecentEvents}.
 *
 * @param sequence   its place in the ring: 0 for the first publication seen, +1 for each next
 * @param envelope   the envelope exactly as members received it
 * @param tenant     the {@code tenant_id} of the connection that published it, or {@code null}
 * @param fromServer whether the server or the host application published it (no connection)
 */
public record RecentEvent(long sequence, Envelope envelope, String tenant, boolean fromServer) {

    /**
     * Whether a reader may see this event: it may subscribe to the event's {@code room:channel}
     * ({@code room:*} for a room broadcast), and the event was published by the server or host, or
     * by a connection of the reader's own tenant (no tenant on both sides counts as the same).
     *
     * @param grants the reader's grants; call on the thread that owns them
     */
    public boolean visibleTo(Principal reader, Grants grants) {
        if (!fromServer && !Objects.equals(tenant, reader.tenantId())) {
            return false;
        }
        ChannelKey key = envelope.channel() == null
                ? ChannelKey.roomWide(envelope.room())
                : ChannelKey.of(envelope.room(), envelope.channel());
        return grants.allows(ChannelAction.SUBSCRIBE, key);
    }
}
