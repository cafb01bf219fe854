package io.arqonbus.server.internal.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.command.AsyncCommand;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import java.util.concurrent.CompletableFuture;

/**
 * {@code leave_channel {room, channel}}: leaves; {@code NOT_FOUND} when not a member. The member count
 * is the channel's on every node (as the {@link MemberDirectory} answers).
 */
final class LeaveChannelCommand implements AsyncCommand {
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
    public CompletableFuture<CommandResult> executeAsync(CommandContext context) throws CommandException {
        ChannelKey key = context.requiredChannel();
        ConnectionLifecycle.Left left = lifecycle.leaveCounted(context.session(), key);
        if (left.localCount() < 0) {
            throw CommandException.notFound("Not a member of " + key);
        }
        ObjectNode data = context.object();
        data.put("room", key.room());
        data.put("channel", key.channel());
        return left.memberCount().thenApply(count -> {
            data.put("member_count", count);
            return new CommandResult("Left " + key, data);
        });
    }
}
