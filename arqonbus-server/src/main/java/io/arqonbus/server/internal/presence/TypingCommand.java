package io.arqonbus.server.internal.presence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import io.arqonbus.server.internal.hub.Hub;

/**
 * {@code typing {room, channel, state:"start"|"stop"}} → {@code {room, channel, state, relayed}}: the
 * channel's other members are told (see {@link Typing}); the caller must be a member
 * ({@code NOT_FOUND} otherwise), {@code state} must be {@code start} or {@code stop}
 * ({@code VALIDATION_ERROR}).
 */
final class TypingCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("typing",
            "Tell the channel's other members you are typing; args {room, channel, state: \"start\"|\"stop\"}");

    private final Typing typing;
    private final Hub hub;

    TypingCommand(Typing typing, Hub hub) {
        this.typing = typing;
        this.hub = hub;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CommandResult execute(CommandContext context) throws CommandException {
        ChannelKey key = context.requiredChannel();
        String state = context.requiredString("state");
        if (!state.equals("start") && !state.equals("stop")) {
            throw CommandException.validation("'state' must be \"start\" or \"stop\"");
        }
        if (!hub.isMember(context.session(), key)) {
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
