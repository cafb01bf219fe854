package io.arqonbus.server.internal.hub;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.AsyncCommand;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code list_channels {room}}: the room's channels by name with member counts (on every node, as the
 * {@link MemberDirectory} answers); unknown room → {@code NOT_FOUND}.
 */
final class ListChannelsCommand implements AsyncCommand {
    private static final CommandSpec SPEC = CommandSpec.of("list_channels",
            "Lists a room's channels with member counts and metadata; args {room}");

    private final Hub hub;

    ListChannelsCommand(Hub hub) {
        this.hub = hub;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CompletableFuture<CommandResult> executeAsync(CommandContext context) throws CommandException {
        String roomName = context.requiredRoom();
        RoomInfo room = ChannelViews.existingRoom(hub, roomName);
        List<ChannelInfo> channels = new ArrayList<>(room.channels());
        channels.sort(Comparator.comparing(c -> c.key().channel()));
        ObjectNode data = context.object();
        data.put("room", roomName);
        data.put("total_channels", channels.size());
        return hub.members().counts(roomName).thenApply(counts -> {
            ArrayNode rows = data.putArray("channels");
            for (ChannelInfo channel : channels) {
                rows.add(ChannelViews.summary(channel, counts.getOrDefault(channel.key().channel(), 0)));
            }
            return new CommandResult(channels.size() + " channel(s) in room " + roomName, data);
        });
    }
}
