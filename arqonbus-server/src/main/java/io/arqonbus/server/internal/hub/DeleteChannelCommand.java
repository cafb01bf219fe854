package io.arqonbus.server.internal.hub;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.telemetry.TelemetryEvent;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import io.arqonbus.server.internal.telemetry.TelemetryHub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code delete_channel {room, channel}} (admin): deletes an empty channel and its history.
 * Unknown → {@code NOT_FOUND}; members left or a bootstrapped channel → {@code CONFLICT}.
 */
final class DeleteChannelCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("delete_channel",
            "Deletes an empty room:channel and its history (admin); bootstrapped channels stay")
            .forAdmins();

    private static final Logger log = LoggerFactory.getLogger(DeleteChannelCommand.class);

    private final Hub hub;
    private final TelemetryHub telemetry;

    DeleteChannelCommand(Hub hub, TelemetryHub telemetry) {
        this.hub = hub;
        this.telemetry = telemetry;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CommandResult execute(CommandContext context) throws CommandException {
        ChannelKey key = context.requiredChannel();
        ChannelInfo channel = ChannelViews.existingChannel(hub, key);
        // A bootstrapped channel is never deleted, so what this copy says stays true of its key.
        if (channel.hardcoded()) {
            throw CommandException.conflict("Channel " + key + " is bootstrapped and cannot be deleted");
        }
        switch (hub.delete(key)) {
            case NOT_FOUND -> throw CommandException.notFound(
                    "Channel '" + key.channel() + "' not found in room '" + key.room() + "'");
            case NOT_EMPTY -> throw CommandException.conflict(
                    "Channel " + key + " has members; it can be deleted only when empty");
            case DELETED -> {
                // reported below
            }
        }
        String by = context.session().clientId();
        telemetry.emit(new TelemetryEvent.ChannelDeleted(key.room(), key.channel(), by,
                TelemetryEvent.ChannelDeleted.DELETED));
        log.atInfo()
                .addKeyValue("event", "channel_deleted")
                .addKeyValue("room", key.room())
                .addKeyValue("channel", key.channel())
                .addKeyValue("by", by)
                .log("channel_deleted");
        return new CommandResult("Channel " + key + " deleted", ChannelViews.address(context.object(), key));
    }
}
