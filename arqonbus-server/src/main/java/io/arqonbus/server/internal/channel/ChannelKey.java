package io.arqonbus.server.internal.channel;

import java.util.Objects;

/**
 * A {@code room:channel} address. {@code channel} is {@code null} for the room-wide stream that
 * room broadcasts are stored under.
 */
public record ChannelKey(String room, String channel) {
    /** The README's private-channel name: what is sent to it goes to the clients named, not to members. */
    public static final String PM_CHANNEL = "pm";

    public ChannelKey {
        Objects.requireNonNull(room, "room");
    }

    /** The key of a channel. */
    public static ChannelKey of(String room, String channel) {
        return new ChannelKey(room, channel);
    }

    /** The key of a room's own stream. */
    public static ChannelKey roomWide(String room) {
        return new ChannelKey(room, null);
    }

    /** Whether this is the room-wide stream rather than a channel. */
    public boolean isRoomWide() {
        return channel == null;
    }

    @Override
    public String toString() {
        return channel == null ? room : room + ":" + channel;
    }
}
