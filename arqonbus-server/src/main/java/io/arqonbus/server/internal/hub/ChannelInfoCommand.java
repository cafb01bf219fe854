package io.arqonbus.server.internal.hub;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import io.arqonbus.server.internal.session.Session;
import java.util.Comparator;
import java.util.List;

/**
 * {@code channel_info {room, channel}}: members, participants, metadata and the channel's stream
 * position; unknown room or channel → {@code NOT_FOUND}.
 */
final class ChannelInfoCommand implements Command {
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
    public CommandResult execute(CommandContext context) throws CommandException {
        ChannelKey key = context.requiredChannel();
        ChannelInfo channel = ChannelViews.existingChannel(hub, key);
        List<Session> members = channel.members().stream().map(ChannelInfo.Member::session)
                .sorted(Comparator.comparing(Session::clientId))
                .toList();
        ObjectNode data = ChannelViews.address(context.object(), key);
        ArrayNode ids = data.putArray("members");
        ArrayNode participants = ChannelViews.array();
        for (Session member : members) {
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
