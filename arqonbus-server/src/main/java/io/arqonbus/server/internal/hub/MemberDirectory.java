package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.session.ClientInfo;
import io.arqonbus.server.internal.session.Session;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * Who is a member of which channel on every node: the seam behind member counts, presence and the
 * notices members give each other (join, leave, typing). On one node it is the hub itself
 * ({@link InProcessMemberDirectory}); in a cluster the members of every node are kept in Redis
 * (the cluster package's {@code RedisMemberDirectory}), each node's entries refreshed by its
 * heartbeat so that a dead node's members vanish within the presence TTL.
 *
 * <p>The hub tells the directory what changed on this node ({@link #joined}, {@link #left}) after the
 * change; the directory answers with the channel's member count on every node and hands the notice
 * to the members on other nodes (the caller delivers it to this node's members). Futures may
 * complete on a thread of the directory's own; on one node they are complete at once, so nothing
 * changes in order or timing. Never called with a Redis round trip on the publication path.
 */
public interface MemberDirectory {

    /**
     * One member of a channel as every node may see it.
     *
     * @param clientId   its client id
     * @param tenant     its token's tenant, {@code ""} when none
     * @param clientType its declared client type ({@code unknown} when none)
     * @param screenName its declared screen name, or {@code null}
     * @param joinedAt   when it joined the channel
     */
    record Member(String clientId, String tenant, String clientType, String screenName, Instant joinedAt) {
        public Member {
            Objects.requireNonNull(clientId, "clientId");
            tenant = tenant == null ? "" : tenant;
            Objects.requireNonNull(clientType, "clientType");
            Objects.requireNonNull(joinedAt, "joinedAt");
        }

        /** The member a session of this node is, joined at {@code joinedAt}. */
        public static Member of(Session session, Instant joinedAt) {
            ClientInfo info = session.info();
            return new Member(session.clientId(), session.principal().tenantId(), info.typeOrUnknown(),
                    info.screenName(), joinedAt);
        }
    }

    /**
     * A session of this node joined the channel (it is a member here already).
     *
     * @param localCount the channel's members on this node after the join
     * @param notice     the notice to the other members, given the channel's member count on every
     *                   node; the directory sends it to the members on other nodes only
     * @return the channel's member count on every node after the join (never fails: the local
     *         count when the other nodes cannot be asked)
     */
    CompletableFuture<Integer> joined(ChannelKey key, Member member, int localCount, IntFunction<Envelope> notice);

    /** A session of this node left the channel; as {@link #joined}, with the count after the leave. */
    CompletableFuture<Integer> left(ChannelKey key, Member member, int localCount, IntFunction<Envelope> notice);

    /** Hands a notice (not stored, no position) to the channel's members on other nodes. */
    void relay(ChannelKey key, Envelope notice);

    /**
     * The channel's member count on every node (never fails: {@code localCount}, this node's, when
     * the other nodes cannot be asked).
     */
    CompletableFuture<Integer> count(ChannelKey key, int localCount);

    /**
     * The member count of each channel of the room that has members on any node (never fails: this
     * node's counts when the other nodes cannot be asked).
     */
    CompletableFuture<Map<String, Integer>> counts(String room);

    /**
     * The members of {@code room:channel} ({@code channel} {@code null}: of every channel of the room)
     * on every node, by channel name, each list sorted by client id (never fails: this node's members
     * when the other nodes cannot be asked).
     */
    CompletableFuture<Map<String, List<Member>>> members(String room, String channel);
}
