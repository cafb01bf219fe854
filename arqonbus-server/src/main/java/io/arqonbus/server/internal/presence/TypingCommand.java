package io.arqonbus.server.internal.presence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.hub.BusChannel;
import io.arqonbus.server.internal.channel.ChannelKey;

/**
 * {@code typing {room, channel, state:"start"|"stop"}} → {@code {room, channel, state, relayed}}: the
 * channel's other members are told (see {@link Typing}); the caller must be a member
 * ({@code NOT_FOUND} otherwise), {@code state} must be {@code start} or {@code stop}
 * ({@code VALIDATION_ERROR}).
 */
final class TypingCommand implements Command {
    private final Typing typing;

    TypingCommand(Typing typing) {
        this.typing = typing;
    }

    @Override
    public String name() {
        return "typing";
    }

    @Override
    public String description() {
        return "Tell the channel's other members you are typing; args {room, channel, state: \"start\"|\"stop\"}";
    }

    @Override
    public CommandResult execute(CommandContext context) throws CommandException {
        ChannelKey key = context.requiredChannel();
        String state = context.requiredString("state");
        if (!state.equals("start") && !state.equals("stop")) {
            throw CommandException.validation("'state' must be \"start\" or \"stop\"");
        }
        BusChannel channel = context.services().hub().channel(key);
        if (channel == null || !channel.hasMember(context.session())) {
            throw CommandException.notFound("Not a member of " + key);
        }
        boolean relayed = typing.signal(context.session(), key, state.equals("start"));
        ObjectNode data = context.object();
        data.put("room", key.room());
        data.put("channel", key.channel());
        data.put("state", state);
        data.put("relayed", relayed);
        return new CommandResult("Typing " + state + " in " + key, data);
    }
}
