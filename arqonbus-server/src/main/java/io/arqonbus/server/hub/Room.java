package io.arqonbus.server.hub;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/** A room: a name and its channels. */
public final class Room {
    private final String name;
    private final ConcurrentHashMap<String, BusChannel> channels = new ConcurrentHashMap<>();

    Room(String name) {
        this.name = name;
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
}
