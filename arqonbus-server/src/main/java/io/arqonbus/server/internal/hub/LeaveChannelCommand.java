package io.arqonbus.server.internal.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;

/** {@code leave_channel {room, channel}}: leaves; {@code NOT_FOUND} when not a member. */
final class LeaveChannelCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("leave_channel",
            "Leave room:channel; args {room, channel} or {room:\"r:c\"}");

    private final ConnectionLifecycle lifecycle;

    LeaveChannelCommand(ConnectionLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CommandResult execute(CommandContext context) throws CommandException {
        ChannelKey key = context.requiredChannel();
        int left = lifecycle.leave(context.session(), key);
        if (left < 0) {
            throw CommandException.notFound("Not a member of " + key);
        }
        ObjectNode data = context.object();
        data.put("room", key.room());
        data.put("channel", key.channel());
        data.put("member_count", left);
        return new CommandResult("Left " + key, data);
    }
}
