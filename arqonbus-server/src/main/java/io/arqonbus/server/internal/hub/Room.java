package io.arqonbus.server.internal.hub;

import io.arqonbus.server.internal.channel.ChannelKey;

import io.arqonbus.protocol.StreamPosition;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/** A room: a name, its channels, and the position of its room-wide stream. */
public final class Room {
    private final String name;
    private final ConcurrentHashMap<String, BusChannel> channels = new ConcurrentHashMap<>();
    private final ChannelKey streamKey;
    private final String epoch;
    private long lastOffset;

    Room(String name, ChannelKey streamKey, StreamPosition head) {
        this.name = name;
        this.streamKey = streamKey;
        this.epoch = head.epoch();
        this.lastOffset = head.offset();
    }

    public String name() {
        return name;
    }

    /** The room's channels now (a live view). */
    public Collection<BusChannel> channels() {
        return channels.values();
    }

    /** The channel with this name, or {@code null}. */
    public BusChannel channel(String channelName) {
        return channels.get(channelName);
    }

    ConcurrentHashMap<String, BusChannel> channelMap() {
        return channels;
    }

    /** The key of the room-wide stream that room broadcasts are stored in. */
    ChannelKey streamKey() {
        return streamKey;
    }

    /** The next position in the room-wide stream; call holding this room's monitor. */
    StreamPosition nextPosition() {
        return new StreamPosition(++lastOffset, epoch);
    }
}
