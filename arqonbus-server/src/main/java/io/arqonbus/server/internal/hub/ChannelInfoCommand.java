package io.arqonbus.server.internal.hub;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.command.AsyncCommand;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code channel_info {room, channel}}: members, participants, metadata and the channel's stream
 * position; unknown room or channel → {@code NOT_FOUND}. The members are the channel's on every node
 * (as the {@link MemberDirectory} answers: at once on one node).
 */
final class ChannelInfoCommand implements AsyncCommand {
    private static final CommandSpec SPEC = CommandSpec.of("channel_info",
            "Members, participants and metadata of room:channel; args {room, channel} or {room:\"r:c\"}");

    private final Hub hub;

    ChannelInfoCommand(Hub hub) {
        this.hub = hub;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CompletableFuture<CommandResult> executeAsync(CommandContext context) throws CommandException {
        ChannelKey key = context.requiredChannel();
        ChannelInfo channel = ChannelViews.existingChannel(hub, key);
        ObjectNode data = ChannelViews.address(context.object(), key);
        return hub.members().members(key.room(), key.channel())
                .thenApply(found -> answer(key, channel, data, found.getOrDefault(key.channel(), List.of())));
    }

    private static CommandResult answer(ChannelKey key, ChannelInfo channel, ObjectNode data,
            List<MemberDirectory.Member> members) {
        ArrayNode ids = data.putArray("members");
        ArrayNode participants = ChannelViews.array();
        for (MemberDirectory.Member member : members) {
            ids.add(member.clientId());
            participants.add(ChannelViews.participant(member));
        }
        data.put("member_count", members.size());
        data.set("participants", participants);
        data.set("metadata", ChannelViews.metadata(channel));
        data.put("created_at", Timestamps.format(channel.createdAt()));
        data.put("offset", channel.lastOffset());
        data.put("epoch", channel.epoch());
        data.put("private", channel.isPrivate());
        if (channel.isPrivate()) {
            ArrayNode admitted = data.putArray("allowed_members");
            channel.admitted().forEach(admitted::add);
        }
        return new CommandResult("Channel " + key, data);
    }
}
