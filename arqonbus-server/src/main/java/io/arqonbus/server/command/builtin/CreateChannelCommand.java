package io.arqonbus.server.command.builtin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.command.Command;
import io.arqonbus.server.command.CommandContext;
import io.arqonbus.server.command.CommandException;
import io.arqonbus.server.command.CommandResult;
import io.arqonbus.server.hub.ChannelKey;
import io.arqonbus.server.hub.JoinResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code create_channel {room, channel}} (admin): creates an empty channel; exists → {@code CONFLICT}. */
final class CreateChannelCommand implements Command {
    private static final Logger log = LoggerFactory.getLogger(CreateChannelCommand.class);

    @Override
    public String name() {
        return "create_channel";
    }

    @Override
    public boolean adminOnly() {
        return true;
    }

    @Override
    public String description() {
        return "Creates room:channel without joining it (admin); args {room, channel} or {room:\"r:c\"}";
    }

    @Override
    public CommandResult execute(CommandContext context) throws CommandException {
        ChannelKey key = context.requiredChannel();
        String creator = context.session().clientId();
        JoinResult result = context.services().hub().create(key, creator, "dynamic", false);
        if (!result.created()) {
            throw CommandException.conflict("Channel '" + key.channel() + "' already exists in room '"
                    + key.room() + "'");
        }
        String createdAt = Timestamps.format(result.channel().createdAt());
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("room", key.room());
        event.put("channel", key.channel());
        event.put("created_by", creator);
        context.services().telemetry().emit("channel_created", event);
        log.info("event=channel_created room={} channel={} by={}", key.room(), key.channel(), creator);

        ObjectNode data = ChannelViews.address(context.object(), key);
        data.put("created_at", createdAt);
        return new CommandResult("Channel " + key + " created", data);
    }
}
