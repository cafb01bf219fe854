package io.arqonbus.server.internal.hub;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.command.CommandException;

/** The JSON views of rooms, channels and participants that several commands reply with. */
final class ChannelViews {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ChannelViews() {
    }

    /** The room, or {@code NOT_FOUND}. */
    static RoomInfo existingRoom(Hub hub, String room) throws CommandException {
        RoomInfo found = hub.room(room);
        if (found == null) {
            throw CommandException.notFound("Room '" + room + "' not found");
        }
        return found;
    }

    /** The channel, or {@code NOT_FOUND} naming the room or the channel that is missing. */
    static ChannelInfo existingChannel(Hub hub, ChannelKey key) throws CommandException {
        existingRoom(hub, key.room());
        ChannelInfo channel = hub.channel(key);
        if (channel == null) {
            throw CommandException.notFound("Channel '" + key.channel() + "' not found in room '" + key.room() + "'");
        }
        return channel;
    }

    /** {@code {created_at, created_by, type, hardcoded}}: the bootstrapped channels' metadata shape. */
    static ObjectNode metadata(ChannelInfo channel) {
        ObjectNode metadata = JSON.objectNode();
        metadata.put("created_at", Timestamps.format(channel.createdAt()));
        metadata.put("created_by", channel.createdBy());
        metadata.put("type", channel.type());
        metadata.put("hardcoded", channel.hardcoded());
        return metadata;
    }

    /**
     * {@code {name, member_count, created_at, metadata}}: one row of {@code list_channels}, with the
     * channel's member count on every node.
     */
    static ObjectNode summary(ChannelInfo channel, int memberCount) {
        ObjectNode row = JSON.objectNode();
        row.put("name", channel.key().channel());
        row.put("member_count", memberCount);
        row.put("created_at", Timestamps.format(channel.createdAt()));
        row.set("metadata", metadata(channel));
        return row;
    }

    /** {@code {client_id, client_type, screen_name}}: one participant of {@code channel_info}. */
    static ObjectNode participant(MemberDirectory.Member member) {
        ObjectNode row = JSON.objectNode();
        row.put("client_id", member.clientId());
        row.put("client_type", member.clientType());
        if (member.screenName() != null) {
            row.put("screen_name", member.screenName());
        } else {
            row.putNull("screen_name");
        }
        return row;
    }

    /** Adds {@code room} and {@code channel} to a reply. */
    static ObjectNode address(ObjectNode data, ChannelKey key) {
        data.put("room", key.room());
        if (key.channel() != null) {
            data.put("channel", key.channel());
        } else {
            data.putNull("channel");
        }
        return data;
    }

    /** An empty array node. */
    static ArrayNode array() {
        return JSON.arrayNode();
    }
}
