package io.arqonbus.server.internal.hub;

import java.util.List;

/** A room as it was when asked: its name and a copy of each of its channels. */
public record RoomInfo(String name, List<ChannelInfo> channels) {

    public RoomInfo {
        channels = List.copyOf(channels);
    }

    /** The channel with this name, or {@code null}. */
    public ChannelInfo channel(String channelName) {
        for (ChannelInfo channel : channels) {
            if (channel.key().channel().equals(channelName)) {
                return channel;
            }
        }
        return null;
    }
}
