package io.arqonbus.server.internal.hub;

import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.session.Session;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A channel as it was when asked ({@code channel_info}, {@code list_channels}, presence): a copy,
 * not the channel; it does not change afterwards.
 *
 * @param lastOffset the offset of the latest publication, 0 before the first
 * @param admitted   the client ids and token subjects a private channel admits, sorted; {@code null}
 *                   for a public channel
 * @param members    the members and when each joined
 */
public record ChannelInfo(ChannelKey key, Instant createdAt, String createdBy, String type, boolean hardcoded,
        String epoch, long lastOffset, Set<String> admitted, List<Member> members) {

    /** A member and when it joined. */
    public record Member(Session session, Instant joinedAt) {
    }

    public ChannelInfo {
        members = List.copyOf(members);
    }

    /** Whether only listed clients may join. */
    public boolean isPrivate() {
        return admitted != null;
    }

    public int memberCount() {
        return members.size();
    }

    /** Whether the client (by its id or its token's subject) may join: always for a public channel. */
    public boolean admits(String clientId, String subject) {
        return admitted == null || admitted.contains(clientId) || subject != null && admitted.contains(subject);
    }

    /** Whether the session may join: always for a public channel. */
    public boolean admits(Session session) {
        return admitted == null || admits(session.clientId(), session.principal().subject());
    }
}
