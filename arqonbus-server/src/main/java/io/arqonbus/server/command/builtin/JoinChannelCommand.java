package io.arqonbus.server.command.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.command.Command;
import io.arqonbus.server.command.CommandContext;
import io.arqonbus.server.command.CommandException;
import io.arqonbus.server.command.CommandResult;
import io.arqonbus.server.hub.ChannelKey;
import io.arqonbus.server.hub.JoinResult;

/** {@code join_channel {room, channel}}: joins, creating the channel when it does not exist. */
final class JoinChannelCommand implements Command {
    @Override
    public String name() {
        return "join_channel";
    }

    @Override
    public String description() {
        return "Join room:channel (created if it does not exist); args {room, channel} or {room:\"r:c\"}";
    }

    @Override
    public CommandResult execute(CommandContext context) throws CommandException {
        ChannelKey key = context.requiredChannel();
        JoinResult result = context.services().lifecycle().join(context.session(), key);
        ObjectNode data = context.object();
        data.put("room", key.room());
        data.put("channel", key.channel());
        data.put("member_count", result.channel().memberCount());
        data.put("created", result.created());
        return new CommandResult("Joined " + key, data);
    }
}
