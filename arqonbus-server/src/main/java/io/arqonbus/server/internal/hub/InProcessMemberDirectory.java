package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.internal.channel.ChannelKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * The members of one node, read from its hub: the node is the whole bus, so there is nobody to tell
 * and every answer is complete at once.
 */
public final class InProcessMemberDirectory implements MemberDirectory {
    private final Hub hub;

    public InProcessMemberDirectory(Hub hub) {
        this.hub = hub;
    }

    @Override
    public CompletableFuture<Integer> joined(ChannelKey key, Member member, int localCount,
            IntFunction<Envelope> notice) {
        return CompletableFuture.completedFuture(localCount);
    }

    @Override
    public CompletableFuture<Integer> left(ChannelKey key, Member member, int localCount,
            IntFunction<Envelope> notice) {
        return CompletableFuture.completedFuture(localCount);
    }

    @Override
    public void relay(ChannelKey key, Envelope notice) {
        // one node: the caller delivered it to every member already
    }

    @Override
    public CompletableFuture<Integer> count(ChannelKey key, int localCount) {
        return CompletableFuture.completedFuture(localCount);
    }

    @Override
    public CompletableFuture<Map<String, Integer>> counts(String room) {
        return CompletableFuture.completedFuture(localCounts(room));
    }

    @Override
    public CompletableFuture<Map<String, List<Member>>> members(String room, String channel) {
        return CompletableFuture.completedFuture(localMembers(room, channel));
    }

    /** The member count of each channel of the room with members on this node. */
    public Map<String, Integer> localCounts(String room) {
        Map<String, Integer> out = new TreeMap<>();
        RoomInfo found = hub.room(room);
        if (found != null) {
            for (ChannelInfo each : found.channels()) {
                if (each.memberCount() > 0) {
                    out.put(each.key().channel(), each.memberCount());
                }
            }
        }
        return out;
    }

    /** The members on this node, as {@link #members} answers. */
    public Map<String, List<Member>> localMembers(String room, String channel) {
        Map<String, List<Member>> out = new TreeMap<>();
        List<ChannelInfo> channels;
        if (channel != null) {
            ChannelInfo one = hub.channel(ChannelKey.of(room, channel));
            channels = one == null ? List.of() : List.of(one);
        } else {
            RoomInfo found = hub.room(room);
            channels = found == null ? List.of() : found.channels();
        }
        for (ChannelInfo each : channels) {
            if (channel != null && !channel.equals(each.key().channel()) || each.memberCount() == 0) {
                continue;
            }
            List<Member> list = new ArrayList<>(each.memberCount());
            for (ChannelInfo.Member member : each.members()) {
                list.add(Member.of(member.session(), member.joinedAt()));
            }
            list.sort(Comparator.comparing(Member::clientId));
            out.put(each.key().channel(), list);
        }
        return out;
    }
}
